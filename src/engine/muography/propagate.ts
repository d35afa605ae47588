// Propagation of muons through the voxelised passive volume, without a gradient tape (PHYSICS.md §A2).
// Stepping: 3-D DDA through the voxel grid (Amanatides & Woo, Eurographics 1987), each step ending at the next
// voxel face but never longer than maxStep.
// Multiple scattering: Highland–Lynch–Dahl (PDG RPP 2024 eq. 34.15) in its CUMULATIVE form. Per muon we keep
// t = Σ x_i/X0_i along the path and give step k the variance Δθ0² = c·[g(t_k) − g(t_{k−1})] (clamped ≥ 0), with
// g(t) = t (1 + 0.038 ln t)² and c = (13.6 MeV/βp)². Summing Highland per step in quadrature would drop the log
// term's growth and make θ0 depend on the step (8 % low for 1 cm steps, 16 % for 1 mm); the cumulative form
// applies Highland once to the whole path, as PDG recommends, for any step.
// Each step draws, in two projections transverse to the current direction, the PDG-correlated pair
// (eqs. 34.18–34.21): y = z1·xθ/√12 + z2·xθ/2, θ = z2·θ (ρ_yθ = √3/2).
// Optional energy loss at the minimum-ionising dE/dx (table A3), β = p/E in θ0, and a range cut.
import { HIGHLAND_GEV, HIGHLAND_LOG, MUON_MASS_GEV } from '../core/units'
import type { Rng } from '../core/rng'
import { NORMAL_BLOCK, NormalSource } from './normals'
import type { MuonBatch, MuonTracks, VoxelVolume } from './types'

export interface PropagateOptions {
  /** subtract dE/dx_min · step (default false) */
  energyLoss?: boolean
  /** longest step inside the volume, metres (default: the voxel edge) */
  maxStep?: number
  /**
   * How the path's Highland variance is spread along it. 'cumulative' (default): Δθ0² = c·Δg(t), which gives the
   * Highland width at every depth. 'uniform': c·g(T)/T per unit t, with T the straight-line t to the exit, which
   * reproduces PDG's slab displacement x·θ0/√3 exactly (the cumulative form gives ≈ 3 % less, see the docs).
   */
  msc?: 'cumulative' | 'uniform'
}

/** a muon stops when its kinetic energy falls below this (GeV) */
export const RANGE_CUT_GEV = 0.005
// imported bindings copied to plain constants: some loaders turn every use of an import into a getter call
const MASS = MUON_MASS_GEV
const M2 = MASS * MASS
const K_HL = HIGHLAND_GEV
const B_HL = HIGHLAND_LOG
const BLOCK = NORMAL_BLOCK
const INV_SQRT12 = 1 / Math.sqrt(12)
/** positions are nudged this far along the direction before locating the voxel (m) */
const NUDGE = 1e-9
const MIN_STEP = 1e-9
const EPS_U = 1e-12

/** g(t) = t (1 + 0.038 ln t)², g(0) = 0 */
function highlandG(t: number): number {
  if (t <= 0) return 0
  const f = 1 + B_HL * Math.log(t)
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

/** Σ x/X0 along the straight line from a point inside the grid to where it leaves it. */
function straightT(vol: VoxelVolume, x: number, y: number, z: number, ux: number, uy: number, uz: number): number {
  const h = vol.voxel, nx = vol.nx, ny = vol.ny, nz = vol.nz
  const ox = vol.origin[0], oy = vol.origin[1], oz = vol.origin[2]
  let ix = Math.floor((x + NUDGE * ux - ox) / h), iy = Math.floor((y + NUDGE * uy - oy) / h), iz = Math.floor((z + NUDGE * uz - oz) / h)
  const sx = ux > EPS_U ? 1 : ux < -EPS_U ? -1 : 0, sy = uy > EPS_U ? 1 : uy < -EPS_U ? -1 : 0, sz = uz > EPS_U ? 1 : uz < -EPS_U ? -1 : 0
  let tx = sx === 0 ? Infinity : (ox + (ix + (sx > 0 ? 1 : 0)) * h - x) / ux
  let ty = sy === 0 ? Infinity : (oy + (iy + (sy > 0 ? 1 : 0)) * h - y) / uy
  let tz = sz === 0 ? Infinity : (oz + (iz + (sz > 0 ? 1 : 0)) * h - z) / uz
  const dx = sx === 0 ? Infinity : h / Math.abs(ux), dy = sy === 0 ? Infinity : h / Math.abs(uy), dz = sz === 0 ? Infinity : h / Math.abs(uz)
  let s = 0, t = 0
  while (ix >= 0 && iy >= 0 && iz >= 0 && ix < nx && iy < ny && iz < nz) {
    const x0 = vol.x0[ix + nx * (iy + ny * iz)]
    if (tx <= ty && tx <= tz) { t += (tx - s) / x0; s = tx; tx += dx; ix += sx }
    else if (ty <= tz) { t += (ty - s) / x0; s = ty; ty += dy; iy += sy }
    else { t += (tz - s) / x0; s = tz; tz += dz; iz += sz }
  }
  return t
}

/**
 * Propagate muons through the volume. Muons may start anywhere (usually on the top face); those whose line misses
 * the grid come out unchanged with alive = 1. Draws come from `rng` only (the 'volume' stream).
 */
export function propagate(vol: VoxelVolume, mu: MuonBatch, rng: Rng, opts: PropagateOptions = {}): MuonTracks {
  const n = mu.n
  const T = allocTracks(n)
  const h = vol.voxel, nx = vol.nx, ny = vol.ny, nz = vol.nz
  const ox = vol.origin[0], oy = vol.origin[1], oz = vol.origin[2]
  const ex = ox + nx * h, ey = oy + ny * h, ez = oz + nz * h
  const invH = 1 / h
  const maxStep = opts.maxStep && opts.maxStep > 0 ? opts.maxStep : h
  const eloss = opts.energyLoss === true
  const uniform = opts.msc === 'uniform'
  const X0 = vol.x0, DEDX = vol.dedx
  const cut = RANGE_CUT_GEV
  const snapMax = Math.max(h, maxStep)
  // generous cap on steps per muon (a muon that exceeds it is dropped)
  const maxIter = 20 * (nx + ny + nz) + 4 * Math.ceil(Math.hypot(ex - ox, ey - oy, ez - oz) / maxStep) + 1000

  const ns = new NormalSource(rng)
  let nb = ns.buf, np = ns.pos

  for (let i = 0; i < n; i++) {
    let x = mu.x[i], y = mu.y[i], z = mu.z[i]
    let ux = mu.ux[i], uy = mu.uy[i], uz = mu.uz[i]
    const un = 1 / Math.sqrt(ux * ux + uy * uy + uz * uz)
    ux *= un; uy *= un; uz *= un
    let p = mu.p[i]
    let e = Math.sqrt(p * p + M2)
    T.p[i] = p

    // entry: slab intersection of the line with the grid's box
    let tIn = 0, tOut = Infinity
    if (Math.abs(ux) > EPS_U) { const a = (ox - x) / ux, b = (ex - x) / ux; tIn = Math.max(tIn, Math.min(a, b)); tOut = Math.min(tOut, Math.max(a, b)) } else if (x < ox || x > ex) tOut = -1
    if (Math.abs(uy) > EPS_U) { const a = (oy - y) / uy, b = (ey - y) / uy; tIn = Math.max(tIn, Math.min(a, b)); tOut = Math.min(tOut, Math.max(a, b)) } else if (y < oy || y > ey) tOut = -1
    if (Math.abs(uz) > EPS_U) { const a = (oz - z) / uz, b = (ez - z) / uz; tIn = Math.max(tIn, Math.min(a, b)); tOut = Math.min(tOut, Math.max(a, b)) } else if (z < oz || z > ez) tOut = -1
    if (tIn > 0 && tOut > tIn) { x += tIn * ux; y += tIn * uy; z += tIn * uz }
    T.xin[i] = x; T.yin[i] = y; T.zin[i] = z
    T.uxin[i] = ux; T.uyin[i] = uy; T.uzin[i] = uz
    let alive = 1

    if (tOut > tIn) {
      let t = 0, gPrev = 0, lnT = 0, rate = 0
      if (uniform) {
        const tt = straightT(vol, x, y, z, ux, uy, uz)
        rate = tt > 0 ? highlandG(tt) / tt : 0
      }
      for (let iter = 0; ; iter++) {
        if (iter > maxIter) { alive = 0; break }
        const fx = (x + NUDGE * ux - ox) * invH, fy = (y + NUDGE * uy - oy) * invH, fz = (z + NUDGE * uz - oz) * invH
        const ix = Math.floor(fx), iy = Math.floor(fy), iz = Math.floor(fz)
        if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz) {
          // left the grid: slide the exit point along the final direction onto the face it crossed (the last
          // lateral kick can leave it up to ~step·θ0 off); the outgoing line itself is unchanged
          // (a muon grazing a side face: clamp that coordinate instead, a shift below one step's displacement)
          if (iz < 0 || iz >= nz) {
            const plane = iz < 0 ? oz : ez, d = (plane - z) / uz
            if (Math.abs(d) <= snapMax) { x += d * ux; y += d * uy; z = plane } else z = plane
          } else if (ix < 0 || ix >= nx) {
            const plane = ix < 0 ? ox : ex, d = (plane - x) / ux
            if (Math.abs(d) <= snapMax) { x = plane; y += d * uy; z += d * uz } else x = plane
          } else {
            const plane = iy < 0 ? oy : ey, d = (plane - y) / uy
            if (Math.abs(d) <= snapMax) { x += d * ux; y = plane; z += d * uz } else y = plane
          }
          break
        }
        // distance to the next voxel face along the current direction
        let s = maxStep
        if (ux > EPS_U) { const d = (ox + (ix + 1) * h - x) / ux; if (d < s) s = d } else if (ux < -EPS_U) { const d = (ox + ix * h - x) / ux; if (d < s) s = d }
        if (uy > EPS_U) { const d = (oy + (iy + 1) * h - y) / uy; if (d < s) s = d } else if (uy < -EPS_U) { const d = (oy + iy * h - y) / uy; if (d < s) s = d }
        if (uz > EPS_U) { const d = (oz + (iz + 1) * h - z) / uz; if (d < s) s = d } else if (uz < -EPS_U) { const d = (oz + iz * h - z) / uz; if (d < s) s = d }
        if (s < MIN_STEP) s = MIN_STEP
        const v = ix + nx * (iy + ny * iz)
        const x0 = X0[v]

        // momentum for this step (midpoint when losing energy); range cut
        let eNew = e, pm = p, em = e
        if (eloss) {
          const loss = DEDX[v] * s
          eNew = e - loss
          if (eNew - MASS < cut) {
            const sStop = Math.max(0, (e - MASS - cut) / DEDX[v])
            x += sStop * ux; y += sStop * uy; z += sStop * uz
            e = MASS + cut
            p = Math.sqrt(e * e - M2)
            alive = 0
            break
          }
          em = e - 0.5 * loss
          pm = Math.sqrt(em * em - M2)
        }
        const bp = (pm * pm) / em
        const c = (K_HL / bp) * (K_HL / bp)

        // scattering variance of this step
        const dt = s / x0
        let var2: number
        if (uniform) var2 = c * rate * dt
        else {
          // ln t carried along the path: ln(t + dt) = ln t + 2 atanh(s), s = dt/(2t + dt) ≤ 0.2 (series to s¹¹,
          // error < 1e-10), sparing a Math.log per step; the first steps take the log directly
          const tn = t + dt
          if (dt < 0.5 * t) {
            const q = dt / (2 * t + dt), q2 = q * q
            lnT += 2 * q * (1 + q2 * (1 / 3 + q2 * (1 / 5 + q2 * (1 / 7 + q2 * (1 / 9 + q2 * (1 / 11))))))
          } else lnT = Math.log(tn)
          const f = 1 + B_HL * lnT
          const g = tn * f * f
          var2 = c * (g - gPrev)
          gPrev = g
        }
        t += dt

        x += s * ux; y += s * uy; z += s * uz
        if (var2 > 0) {
          const th0 = Math.sqrt(var2)
          // orthonormal e1, e2 ⟂ u (Duff et al., JCGT 6 (2017) 1)
          const sg = uz >= 0 ? 1 : -1
          const a = -1 / (sg + uz)
          const b = ux * uy * a
          const e1x = 1 + sg * ux * ux * a, e1y = sg * b, e1z = -sg * ux
          const e2x = b, e2y = sg + uy * uy * a, e2z = -uy
          if (np > BLOCK - 4) { ns.refill(); nb = ns.buf; np = 0 }
          const z1 = nb[np], z2 = nb[np + 1], z3 = nb[np + 2], z4 = nb[np + 3]
          np += 4
          const ya = s * th0 * (z1 * INV_SQRT12 + 0.5 * z2), ta = th0 * z2
          const yb = s * th0 * (z3 * INV_SQRT12 + 0.5 * z4), tb = th0 * z4
          x += ya * e1x + yb * e2x; y += ya * e1y + yb * e2y; z += ya * e1z + yb * e2z
          ux += ta * e1x + tb * e2x; uy += ta * e1y + tb * e2y; uz += ta * e1z + tb * e2z
          // |u + ta e1 + tb e2|² = 1 + ε; a series for the usual small kicks saves a square root
          const eps = ta * ta + tb * tb
          const r = eps < 1e-4 ? 1 - eps * (0.5 - 0.375 * eps) : 1 / Math.sqrt(ux * ux + uy * uy + uz * uz)
          ux *= r; uy *= r; uz *= r
        }
        if (eloss) { e = eNew; p = Math.sqrt(e * e - M2) }
      }
    }
    T.xout[i] = x; T.yout[i] = y; T.zout[i] = z
    T.uxout[i] = ux; T.uyout[i] = uy; T.uzout[i] = uz
    T.pOut[i] = p
    T.alive[i] = alive
  }
  return T
}
