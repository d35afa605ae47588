// Propagation of muons through the voxelised passive volume, without a gradient tape (docs/physics-muography-simulation.md).
// Stepping: 3-D DDA through the voxel grid (Amanatides & Woo, Eurographics 1987), each step ending at the next
// voxel face but never longer than maxStep.
// Multiple scattering: Highland–Lynch–Dahl (PDG RPP 2024 eq. 34.15) in its CUMULATIVE form. Per muon we keep
// t = Σ x_i/X0_i along the path and give step k the variance Δθ0² = c·[g(t_k) − g(t_{k−1})] (clamped ≥ 0), with
// g(t) = t (1 + 0.038 ln t)² and c = (13.6 MeV/βp)². Summing Highland per step in quadrature would drop the log
// term's growth and make θ0 depend on the step (8 % low for 1 cm steps, 16 % for 1 mm); the cumulative form
// applies Highland once to the whole path, as PDG recommends, for any step.
// Each step draws, in two projections transverse to the current direction, the PDG-correlated pair
// (eqs. 34.18–34.21): y = z1·xθ/√12 + z2·xθ/2, θ = z2·θ (ρ_yθ = √3/2).
// Energy loss (on in the design default): the mean −dE/dx = a(E) + b(E)·E of core/muon-energy-loss.ts from a table
// per material, at mid-step energy (steps shortened to lose at most a fifth of the kinetic energy), β = p/E in θ0,
// and a range cut. Straggling (with the energy loss): collisions that give an electron more than T_cut = 10 MeV
// are drawn one by one from the free-electron spectrum dN/dT = ξ/T² (ξ = K⟨Z/A⟩ρ·d/β², PDG eq. 34.1 without the
// spin term), the rest of the ionisation loss is a Gaussian with Bohr's variance ξ·T_cut (PDG §34.2.9); its mean is
// the Bethe mean less the drawn part's mean, so the mean loss is unchanged. This gives the Landau-like skew of a
// thick absorber: a Gaussian core and a tail of hard delta rays. Radiative losses stay continuous (≤ 5 % of the loss
// below 100 GeV in iron).
// Single-scattering tail (option `tail`): on top of the Gaussian, single Rutherford scatterings above
// θ_cut = κ·θ0(path) (κ = TAIL_KAPPA) are drawn with Molière's rate: per unit thickness, χ_c²·(1/θ_cut² − 1/θ_max²)
// of them with dN/dθ ∝ θ⁻³ on [θ_cut, θ_max] (χ_c² = 0.157 MeV²·Z(Z+1)/A·x/(βp)², Bethe, Phys. Rev. 89 (1953) 1256;
// Lynch & Dahl, NIM B58 (1991) 6), each kept with the probability F²(qR) ≈ exp(−(θ/θ_N)²/5) of a uniform nucleus
// of radius R = 1.2 A^⅓ fm (θ_N = ħc/(R p); the expansion F ≈ 1 − (qR)²/10), θ_max = 4 θ_N. Above a few GeV the
// form factor ends the Rutherford tail of heavy nuclei close to the core: in 10 cm of iron at 3 GeV θ_N = 14 mrad,
// 1.2 θ0. This is the Gaussian-core-plus-single-scattering mixture (Rossi & Greisen, Rev. Mod. Phys. 13 (1941)
// 240); the distribution it gives is checked against Molière's (Bethe 1953) in propagate-tail.test.ts.
// Random numbers: muon i draws its normals and its uniforms from two streams of its own (core/item-stream.ts),
// keyed by the batch's seed and its index, so its track does not depend on the block or thread that propagates it,
// and gpu/propagate.ts draws the same; the normals come in blocks of NORMALS, the rest of a block is dropped.
// Speed: one function holds the muon and step loops with every quantity in a double local (rare paths in small
// helpers), 1/X0 is precomputed, ln t is carried along, nothing is allocated per step; ln T for the loss tables is
// carried along the path.
import { MATERIALS, MUON_STOPPING } from '../core/materials'
import { BETHE_K_MEV, ELECTRON_MASS_GEV, lnOneMinus, lossTable, TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { HIGHLAND_GEV, HIGHLAND_LOG, MUON_MASS_GEV } from '../core/units'
import { fillNormals, seedItem, uniform as drawUniform } from '../core/item-stream'
import { philoxKey } from '../core/philox'
import type { MuonBatch, MuonTracks, VoxelVolume } from './types'

export interface PropagateOptions {
  /** mean energy loss with straggling and stopping (default false) */
  energyLoss?: boolean
  /** single-scattering tail above TAIL_KAPPA·θ0 (default false) */
  tail?: boolean
  /** longest step inside the volume, metres (default: the voxel edge) */
  maxStep?: number
  /**
   * How the path's Highland variance is spread along it. 'uniform' (default) is described below. 'cumulative':
   * Δθ0² = c·Δg(t), which gives the
   * Highland width at every depth. 'uniform' (the default): c·g(T)/T per unit t, with T the straight-line t to the exit, which
   * reproduces PDG's slab displacement x·θ0/√3 exactly (the cumulative form gives ≈ 3 % less, see the docs).
   */
  msc?: 'cumulative' | 'uniform'
}

/** a muon stops when its kinetic energy falls below this (GeV) */
export const RANGE_CUT_GEV = 0.005
/** single scatterings are drawn above this many θ0 of the path (space angle) */
export const TAIL_KAPPA = 2
/** delta rays above this energy transfer (GeV) are drawn one by one */
export const DELTA_CUT_GEV = 0.01
/** ħc / 1.2 fm, GeV: the nuclear form factor's angle is θ_N = this / (A^⅓ p) */
const FORM_FACTOR_GEV = 0.1973 / 1.2
/** single scatterings are drawn up to this many θ_N (the form factor² is e^(−16/5) = 4 % there) */
export const FORM_FACTOR_REACH = 4
/** a point is located in the voxel this far ahead (m) on each axis it moves along: a point on a face is in the voxel
 *  it enters, however slowly it moves across the face, and float32 coordinates (the GPU's) resolve the shift on
 *  grids of tens of metres */
export const NUDGE_M = 1e-5
/** the shortest step (m) */
export const MIN_STEP_M = 1e-9
/** a direction cosine below this is parallel to the faces it would cross */
export const PARALLEL_U = 1e-12
/** normals drawn per block of a muon's stream */
const NORMALS = 32
// Constants for the hot loop travel in a typed array: bundlers and test loaders turn module constants and imports
// into mutable bindings (or getters) whose loads V8 cannot type as numbers, and it then boxed a double per step.
const K = Float64Array.of(MUON_MASS_GEV, HIGHLAND_GEV, HIGHLAND_LOG, RANGE_CUT_GEV, 1 / Math.sqrt(12),
  NUDGE_M, MIN_STEP_M, PARALLEL_U,
  TABLE_LN_T0, TABLE_PER_E, TABLE_N, DELTA_CUT_GEV, ELECTRON_MASS_GEV, TAIL_KAPPA)
const NUDGE = K[5]
const EPS_U = K[7]

/** g(t) = t (1 + 0.038 ln t)², g(0) = 0 */
function highlandG(t: number): number {
  if (t <= 0) return 0
  const f = 1 + HIGHLAND_LOG * Math.log(t)
  return t * f * f
}

export function allocTracks(n: number): MuonTracks {
  const f = () => new Float32Array(n)
  return {
    n, p: f(), pOut: f(),
    xin: f(), yin: f(), zin: f(), uxin: f(), uyin: f(), uzin: f(),
    xout: f(), yout: f(), zout: f(), uxout: f(), uyout: f(), uzout: f(),
    alive: new Uint8Array(n),
  }
}

/** Per-call settings of the stepping, fixed for a batch. */
interface Setup {
  vol: VoxelVolume
  /** ox, oy, oz, h, maxStep, snapMax (how far an exit point may slide onto its face) as typed-array doubles */
  geo: Float64Array
  /** 1/X0 per voxel */
  invX0: Float64Array
  eloss: boolean
  tail: boolean
  uniform: boolean
  /** per palette entry: loss tables (GeV/m vs ln T, TABLE_N each), ξ·β²/d = K⟨Z/A⟩ρ (GeV/m), χ_c²·(βp)²/d (GeV²/m), θ_N·p (GeV) */
  loss: Float64Array
  xi: Float64Array
  /** ln(W_max/T_cut) against ln T on the loss tables' grid (interpolated to 5e-4, 2e-5 of the mean loss) */
  lnWmax: Float64Array
  chi2: Float64Array
  thetaMaxP: Float64Array
  /** per palette entry, chi2 over (θ_max·βp)² (per metre): a step's single scatterings number d·(chi2/cut2 − this) */
  tailMax: Float64Array
  /** the streams' Philox key and the batch index of muon 0 */
  key: [number, number]
  first: number
  /** cap on steps per muon (a muon that exceeds it is dropped) */
  maxIter: number
}

// Muon state shared with the helpers (scratch array): x, y, z, ux, uy, uz
const X = 0, Y = 1, Z = 2, UX = 3, UY = 4, UZ = 5

/** Move the state onto the grid's box along its line; false if the line misses the box. */
function enter(vol: VoxelVolume, s: Float64Array): boolean {
  const n0 = vol.nx, n1 = vol.ny, n2 = vol.nz
  let tIn = 0, tOut = Infinity
  for (let k = 0; k < 3; k++) {
    const q = s[k], u = s[UX + k], a = vol.origin[k], b = a + (k === 0 ? n0 : k === 1 ? n1 : n2) * vol.voxel
    if (Math.abs(u) > EPS_U) {
      const ta = (a - q) / u, tb = (b - q) / u
      tIn = Math.max(tIn, Math.min(ta, tb))
      tOut = Math.min(tOut, Math.max(ta, tb))
    } else if (q < a || q > b) return false
  }
  if (!(tOut > tIn)) return false
  if (tIn > 0) for (let k = 0; k < 3; k++) s[k] += tIn * s[UX + k]
  return true
}

/** Σ x/X0 along the straight line from a point inside the grid to where it leaves it. */
function straightT(vol: VoxelVolume, s: Float64Array): number {
  const h = vol.voxel, nx = vol.nx, ny = vol.ny, nz = vol.nz
  const ox = vol.origin[0], oy = vol.origin[1], oz = vol.origin[2]
  const x = s[X], y = s[Y], z = s[Z], ux = s[UX], uy = s[UY], uz = s[UZ]
  const sx = ux > EPS_U ? 1 : ux < -EPS_U ? -1 : 0, sy = uy > EPS_U ? 1 : uy < -EPS_U ? -1 : 0, sz = uz > EPS_U ? 1 : uz < -EPS_U ? -1 : 0
  let ix = Math.floor((x + NUDGE * sx - ox) / h), iy = Math.floor((y + NUDGE * sy - oy) / h), iz = Math.floor((z + NUDGE * sz - oz) / h)
  let tx = sx === 0 ? Infinity : (ox + (ix + (sx > 0 ? 1 : 0)) * h - x) / ux
  let ty = sy === 0 ? Infinity : (oy + (iy + (sy > 0 ? 1 : 0)) * h - y) / uy
  let tz = sz === 0 ? Infinity : (oz + (iz + (sz > 0 ? 1 : 0)) * h - z) / uz
  const dx = sx === 0 ? Infinity : h / Math.abs(ux), dy = sy === 0 ? Infinity : h / Math.abs(uy), dz = sz === 0 ? Infinity : h / Math.abs(uz)
  let d = 0, t = 0
  while (ix >= 0 && iy >= 0 && iz >= 0 && ix < nx && iy < ny && iz < nz) {
    const x0 = vol.x0[ix + nx * (iy + ny * iz)]
    if (tx <= ty && tx <= tz) { t += (tx - d) / x0; d = tx; tx += dx; ix += sx }
    else if (ty <= tz) { t += (ty - d) / x0; d = ty; ty += dy; iy += sy }
    else { t += (tz - d) / x0; d = tz; tz += dz; iz += sz }
  }
  return t
}

/**
 * The muon has left the grid (voxel (ix, iy, iz) is outside): slide the exit point along the final direction onto
 * the face it crossed (the last lateral kick can leave it up to ~step·θ0 off; the outgoing line is unchanged). A
 * muon grazing a side face gets that coordinate clamped instead, a shift below one step's displacement.
 */
function snapToFace(vol: VoxelVolume, s: Float64Array, ix: number, iy: number, iz: number, snapMax: number): void {
  let k: number, n: number, idx: number
  if (iz < 0 || iz >= vol.nz) { k = 2; n = vol.nz; idx = iz }
  else if (ix < 0 || ix >= vol.nx) { k = 0; n = vol.nx; idx = ix }
  else { k = 1; n = vol.ny; idx = iy }
  const plane = vol.origin[k] + (idx < 0 ? 0 : n * vol.voxel)
  const d = (plane - s[k]) / s[UX + k]
  if (Math.abs(d) <= snapMax) {
    for (let j = 0; j < 3; j++) s[j] += d * s[UX + j]
  }
  s[k] = plane
}

/**
 * Track every muon from its entry point to its exit (or stop). One function holds both loops so that V8 optimises
 * it once (on-stack) for the whole batch; a per-muon function was re-entered through its OSR code on every call.
 */
function trackAll(S: Setup, mu: MuonBatch, T: MuonTracks): void {
  const vol = S.vol, geo = S.geo
  const IX0 = S.invX0, MAT = vol.material, LOSS = S.loss, XI = S.xi, CHI2 = S.chi2, THM = S.thetaMaxP, TAIL_MAX = S.tailMax, LN_WMAX = S.lnWmax
  const eloss = S.eloss, tail = S.tail, uniform = S.uniform
  const s = new Float64Array(8)
  const st = new Int32Array(4), stN = new Int32Array(4), nb = new Float64Array(NORMALS)
  const [k0, k1] = S.key
  for (let i = 0; i < mu.n; i++) {
    seedItem(stN, S.first + i, 0, k0, k1)
    if (eloss || tail) seedItem(st, S.first + i, 1, k0, k1)
    const NB = nb.length
    let np = NB
    // Numbers the step loop uses are (re)read per muon from typed arrays: V8 optimises this function on-stack, and
    // values carried in from before that point would be untyped there and force it to box a double per step.
    const MASS_ = K[0], M2_ = MASS_ * MASS_, KH = K[1], B = K[2], CUT_ = K[3], R12 = K[4]
    const NUDGE_ = K[5], MIN_STEP_ = K[6], EPS_U_ = K[7], TCUT = K[11], INV_TCUT = 1 / TCUT, RME = K[12] / MASS_, KAPPA = K[13]
    const INV_MASS = 1 / MASS_
    const LN_T0 = K[8], PER_E = K[9]
    const nx = vol.nx | 0, ny = vol.ny | 0, nz = vol.nz | 0, maxIter = S.maxIter | 0
    const ox = geo[0], oy = geo[1], oz = geo[2], h = geo[3], maxStep = geo[4]
    const invH = 1 / h
    const u0 = mu.ux[i], u1 = mu.uy[i], u2 = mu.uz[i]
    const un = 1 / Math.sqrt(u0 * u0 + u1 * u1 + u2 * u2)
    s[0] = mu.x[i]; s[1] = mu.y[i]; s[2] = mu.z[i]; s[3] = u0 * un; s[4] = u1 * un; s[5] = u2 * un
    const inside = enter(vol, s)
    let x = s[0], y = s[1], z = s[2], ux = s[3], uy = s[4], uz = s[5]
    let p = mu.p[i], e = Math.sqrt(p * p + M2_), lossFrac = 0
    const e0 = e
    T.p[i] = p
    T.xin[i] = x; T.yin[i] = y; T.zin[i] = z; T.uxin[i] = ux; T.uyin[i] = uy; T.uzin[i] = uz
    let t = 0, gPrev = 0, lnT = 0
    // Highland's g(T) of the straight path, for the 'uniform' spread and the tail's θ_cut
    const gPath = (uniform || tail) && inside ? pathG(vol, s) : null
    const rate = uniform && gPath ? gPath.rate : 0
    // (13.6 MeV)²·g(T)·κ²: θ_cut² = this/(βp)²
    const cut2 = gPath ? KH * KH * gPath.g * KAPPA * KAPPA : 0
    const invCut2 = cut2 > 0 ? 1 / cut2 : 0
    // exponential budgets to the next delta ray and the next single scattering (one uniform per event)
    let budgetDelta = eloss ? -Math.log(1 - drawUniform(st)) : 0
    let budgetTail = tail ? -Math.log(1 - drawUniform(st)) : 0
    let alive = 1
    // c = (13.6 MeV/βp)², βp = p²/E; updated per step (at mid-step energy) when losing energy
    let c = ((KH * e) / (p * p)) ** 2
    // ln of the kinetic energy, the loss tables' coordinate, carried along the path (lnOneMinus) instead of a log per step
    let lnKin = eloss ? Math.log(e - MASS_) : 0
    for (let iter = 0; inside; iter++) {
      const ix = Math.floor((x + (ux > EPS_U_ ? NUDGE_ : ux < -EPS_U_ ? -NUDGE_ : 0) - ox) * invH)
      const iy = Math.floor((y + (uy > EPS_U_ ? NUDGE_ : uy < -EPS_U_ ? -NUDGE_ : 0) - oy) * invH)
      const iz = Math.floor((z + (uz > EPS_U_ ? NUDGE_ : uz < -EPS_U_ ? -NUDGE_ : 0) - oz) * invH)
      if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz) {
        s[0] = x; s[1] = y; s[2] = z; s[3] = ux; s[4] = uy; s[5] = uz
        snapToFace(vol, s, ix, iy, iz, geo[5])
        x = s[0]; y = s[1]; z = s[2]
        break
      }
      if (iter > maxIter) { alive = 0; break }
      // distance to the next voxel face along the current direction
      let d = maxStep
      if (ux > EPS_U_) { const q = (ox + (ix + 1) * h - x) / ux; if (q < d) d = q } else if (ux < -EPS_U_) { const q = (ox + ix * h - x) / ux; if (q < d) d = q }
      if (uy > EPS_U_) { const q = (oy + (iy + 1) * h - y) / uy; if (q < d) d = q } else if (uy < -EPS_U_) { const q = (oy + iy * h - y) / uy; if (q < d) d = q }
      if (uz > EPS_U_) { const q = (oz + (iz + 1) * h - z) / uz; if (q < d) d = q } else if (uz < -EPS_U_) { const q = (oz + iz * h - z) / uz; if (q < d) d = q }
      if (d < MIN_STEP_) d = MIN_STEP_
      const v = ix + nx * (iy + ny * iz)
      const mi = MAT[v]

      // energy for this step (midpoint), straggling, range cut
      let eNew = e
      if (eloss) {
        const kin = e - MASS_
        // one division per step for 1/T, and the few others below written as products
        const invKin = 1 / kin
        const off = mi * TABLE_N
        const u0 = (lnKin - LN_T0) * PER_E
        const l0 = lossAt(LOSS, off, u0)
        if (l0 * d > 0.2 * kin) d = Math.max(MIN_STEP_, (0.2 * kin) / l0)
        const em0 = e - 0.5 * l0 * d
        const uMid = u0 + lnOneMinus(0.5 * l0 * d * invKin) * PER_E
        let loss = lossAt(LOSS, off, uMid) * d
        // straggling at the mid-step momentum: ξ = K⟨Z/A⟩ρ·d/β², and 1/W_max (PDG eq. 34.4)
        const e2 = em0 * em0, p2 = e2 - M2_, g = em0 * INV_MASS
        const b2 = p2 / e2
        const invW = (1 + 2 * g * RME + RME * RME) / (2 * K[12] * (g * g - 1))
        const xi = (XI[mi] * d * e2) / p2
        let tc = TCUT, hard = 0, hardMean = 0
        if (invW < INV_TCUT) {
          hardMean = xi * lossAt(LN_WMAX, 0, uMid)
          const span = INV_TCUT - invW
          budgetDelta -= xi * span
          while (budgetDelta < 0) {
            hard += 1 / (INV_TCUT - drawUniform(st) * span)
            budgetDelta -= Math.log(1 - drawUniform(st))
          }
        } else tc = 1 / invW
        if (np === NB) { fillNormals(stN, nb); np = 0 }
        const soft = loss - hardMean + Math.sqrt(xi * tc * (1 - 0.5 * b2 * tc * invW)) * nb[np++]
        loss = (soft > 0 ? soft : 0) + hard
        eNew = e - loss
        if (eNew - MASS_ < CUT_) {
          const dStop = Math.max(0, Math.min(d, ((kin - CUT_) / loss) * d))
          x += dStop * ux; y += dStop * uy; z += dStop * uz
          p = 0
          alive = 0
          break
        }
        lossFrac = loss * invKin
        // c = (13.6 MeV/βp)² at the mid-step energy, βp = (E² − m²)/E
        const em = e - 0.5 * loss, q = em * em - M2_
        c = (KH * KH * em * em) / (q * q)
      }

      // scattering variance of this step
      const dt = d * IX0[v]
      let var2: number
      if (uniform) var2 = c * rate * dt
      else {
        // ln t carried along the path: ln(t + dt) = ln t + 2 atanh(q), q = dt/(2t + dt) ≤ 0.2 (series to q¹¹,
        // error < 1e-10), sparing a Math.log per step; the first steps take the log directly
        const tn = t + dt
        if (dt < 0.5 * t) {
          const q = dt / (2 * t + dt), q2 = q * q
          lnT += 2 * q * (1 + q2 * (1 / 3 + q2 * (1 / 5 + q2 * (1 / 7 + q2 * (1 / 9 + q2 * (1 / 11))))))
        } else lnT = Math.log(tn)
        const f = 1 + B * lnT
        const g = tn * f * f
        var2 = c * (g - gPrev)
        gPrev = g
      }
      t += dt

      x += d * ux; y += d * uy; z += d * uz
      let ta = 0, tb = 0
      // single scatterings in this step: rate χ_c²/d·(1/θ_cut² − 1/θ_max²) = d·(CHI2/cut2 − TAIL_MAX), the same at
      // every momentum (θ_cut and θ_max both scale as 1/βp); none where θ_cut ≥ θ_max
      const tailRate = tail ? CHI2[mi] * invCut2 - TAIL_MAX[mi] : 0
      if (tailRate > 0) {
        budgetTail -= tailRate * d
        if (budgetTail < 0) {
          const bp2 = (KH * KH) / c
          const thn2 = (THM[mi] * THM[mi]) / bp2
          const thm2 = FORM_FACTOR_REACH * FORM_FACTOR_REACH * thn2
          const thc2 = cut2 / bp2
          while (budgetTail < 0) {
            const th2 = 1 / (1 / thc2 - drawUniform(st) * (1 / thc2 - 1 / thm2))
            if (drawUniform(st) < Math.exp(-th2 / (5 * thn2))) {
              const th = Math.sqrt(th2), phi = Math.PI * (2 * drawUniform(st) - 1)
              ta += th * Math.cos(phi); tb += th * Math.sin(phi)
            }
            budgetTail -= Math.log(1 - drawUniform(st))
          }
        }
      }
      if (var2 > 0 || ta !== 0 || tb !== 0) {
        const th0 = var2 > 0 ? Math.sqrt(var2) : 0
        // orthonormal e1, e2 ⟂ u (Duff et al., JCGT 6 (2017) 1)
        const sg = uz >= 0 ? 1 : -1
        const a = -1 / (sg + uz)
        const b = ux * uy * a
        const e1x = 1 + sg * ux * ux * a, e1y = sg * b, e1z = -sg * ux
        const e2x = b, e2y = sg + uy * uy * a, e2z = -uy
        if (np > NB - 4) {
          // the block's last normals first, so the stream's order is kept
          const left = NB - np
          for (let q = 0; q < left; q++) nb[q] = nb[np + q]
          fillNormals(stN, nb, left)
          np = 0
        }
        const z1 = nb[np], z2 = nb[np + 1], z3 = nb[np + 2], z4 = nb[np + 3]
        np += 4
        const ya = d * th0 * (z1 * R12 + 0.5 * z2)
        const yb = d * th0 * (z3 * R12 + 0.5 * z4)
        ta += th0 * z2; tb += th0 * z4
        x += ya * e1x + yb * e2x; y += ya * e1y + yb * e2y; z += ya * e1z + yb * e2z
        ux += ta * e1x + tb * e2x; uy += ta * e1y + tb * e2y; uz += ta * e1z + tb * e2z
        // |u + ta e1 + tb e2|² = 1 + ε; a series for the usual small kicks saves a square root
        const eps = ta * ta + tb * tb
        const r = eps < 1e-4 ? 1 - eps * (0.5 - 0.375 * eps) : 1 / Math.sqrt(ux * ux + uy * uy + uz * uz)
        ux *= r; uy *= r; uz *= r
      }
      if (eloss) { lnKin += lnOneMinus(lossFrac); e = eNew }
    }
    T.xout[i] = x; T.yout[i] = y; T.zout[i] = z; T.uxout[i] = ux; T.uyout[i] = uy; T.uzout[i] = uz
    // the momentum is needed only here: a muon that lost energy and did not stop
    T.pOut[i] = p !== 0 && e !== e0 ? Math.sqrt(e * e - M2_) : p
    T.alive[i] = alive
  }
}

/** mean loss (GeV/m) at table coordinate u = (ln T − ln T0)·per-e from the material's table at `off` (linear in ln T) */
function lossAt(tab: Float64Array, off: number, u: number): number {
  if (u < 0) u = 0
  const k = Math.min(Math.floor(u), (K[10] | 0) - 2)
  const f = Math.min(1, u - k)
  return tab[off + k] * (1 - f) + tab[off + k + 1] * f
}

/** Highland's g(T) for T = Σ x/X0 along the muon's straight line, and the 'uniform' rate g(T)/T */
function pathG(vol: VoxelVolume, s: Float64Array): { g: number; rate: number } {
  const tt = straightT(vol, s)
  const g = highlandG(tt)
  return { g, rate: tt > 0 ? g / tt : 0 }
}

/** where a batch's muons draw from: muon i of the batch is muon first + i of the seed's 'volume' streams */
export interface MuonStreams { seed: number; first?: number }

/**
 * Propagate muons through the volume. Muons may start anywhere (usually on the top face); those whose line misses
 * the grid come out unchanged with alive = 1. Muon i draws from its own stream (first + i under the seed).
 */
export function propagate(vol: VoxelVolume, mu: MuonBatch, streams: MuonStreams, opts: PropagateOptions = {}): MuonTracks {
  const n = mu.n
  const T = allocTracks(n)
  const h = vol.voxel
  const maxStep = opts.maxStep && opts.maxStep > 0 ? opts.maxStep : h
  const materials = materialConstants(vol)
  const S: Setup = {
    vol,
    invX0: Float64Array.from(vol.x0, (x0) => 1 / x0),
    geo: Float64Array.of(vol.origin[0], vol.origin[1], vol.origin[2], h, maxStep, Math.max(h, maxStep)),
    eloss: opts.energyLoss === true,
    tail: opts.tail === true,
    ...materials,
    tailMax: materials.chi2.map((x, k) => x / (FORM_FACTOR_REACH * materials.thetaMaxP[k]) ** 2),
    lnWmax: LN_WMAX_TABLE,
    key: philoxKey(streams.seed, 'volume'),
    first: streams.first ?? 0,
    uniform: (opts.msc ?? 'uniform') === 'uniform',
    maxIter: stepCap(vol, maxStep),
  }
  trackAll(S, mu, T)
  return T
}

/** the cap on a muon's steps (one that takes more is dropped) */
export function stepCap(vol: VoxelVolume, maxStep: number): number {
  return 20 * (vol.nx + vol.ny + vol.nz) + 4 * Math.ceil((Math.hypot(vol.nx, vol.ny, vol.nz) * vol.voxel) / maxStep) + 1000
}

/** the largest energy transfer to a free electron (PDG eq. 34.4) at kinetic energy kin (GeV) */
function wmaxAt(kin: number): number {
  const g = (kin + MUON_MASS_GEV) / MUON_MASS_GEV, r = ELECTRON_MASS_GEV / MUON_MASS_GEV
  return (2 * ELECTRON_MASS_GEV * (g * g - 1)) / (1 + 2 * g * r + r * r)
}

export const LN_WMAX_TABLE = Float64Array.from({ length: TABLE_N }, (_, k) => Math.log(wmaxAt(Math.exp(TABLE_LN_T0 + k / TABLE_PER_E)) / DELTA_CUT_GEV))

/** per palette entry: loss tables and the straggling, tail and form-factor constants (Setup) */
export function materialConstants(vol: VoxelVolume): Pick<Setup, 'loss' | 'xi' | 'chi2' | 'thetaMaxP'> {
  const n = vol.palette.length
  const loss = new Float64Array(n * TABLE_N)
  const xi = new Float64Array(n), chi2 = new Float64Array(n), thetaMaxP = new Float64Array(n)
  vol.palette.forEach((name, k) => {
    const m = MATERIALS[name]
    loss.set(lossTable(name), k * TABLE_N)
    // K⟨Z/A⟩ρ in GeV/m: MeV cm²/g · g/cm³ = MeV/cm = 0.1 GeV/m
    xi[k] = BETHE_K_MEV * MUON_STOPPING[name].z_over_a * m.density_g_cm3 * 0.1
    // χ_c²(βp)² per metre: K·m_e = 0.157 MeV² cm²/g per unit Z(Z+1)/A, ρ g/cm³ · 100 cm/m, 1e-6 GeV²/MeV²
    chi2[k] = BETHE_K_MEV * ELECTRON_MASS_GEV * 1e3 * ((m.z * (m.z + 1)) / m.a) * m.density_g_cm3 * 100 * 1e-6
    thetaMaxP[k] = FORM_FACTOR_GEV / Math.cbrt(m.a)
  })
  return { loss, xi, chi2, thetaMaxP }
}
