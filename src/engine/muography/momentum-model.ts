// The inference's view of each muon's momentum along its path. Highland's c = (13.6 MeV/βp)² changes as the muon
// slows down; the simulation spreads the path's variance c·g(T) in proportion to x/X0 (propagate.ts), so the
// variance the inference must expect is g(T)·c̄ with c̄ = Σ_j c(E_j) L_j λ_j / Σ_j L_j λ_j, E_j the energy in voxel j.
// The energies come from the entry momentum and the mean loss in the materials the CURRENT estimate λ says the path
// crosses: a voxel of scattering density λ is taken to lose energy like a solid of that radiation length, by
// interpolating the loss per radiation length, dE/dx·X0 (a function of Z alone), in ln λ between reference
// materials (air, water, concrete, aluminium, iron, copper, lead, uranium). The entry momentum is
//  - 'point' (momentum known, or measured with a resolution): one value per muon;
//  - 'prior' (unknown): quantiles of the flux model's spectrum, a fixed prior that does not look at the simulated
//    muons; each quantile is followed along the path and c̄ averaged over the quantiles that would leave the volume,
//    since a muon that was seen leaving cannot have been one that stops.
// For the Fisher information (fisher.ts) the model also gives ∂c̄/∂λ_j per path entry: a denser voxel slows the muon,
// so the muon scatters more downstream, and the likelihood knows it (the EM refreshes c from λ); for a prior, each
// entry's terms under the mixture likelihood, from every leaving quantile's derivative (mixture-information.ts).
import { MATERIALS, type MaterialName } from '../core/materials'
import { lnOneMinus, lossTable, TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { HIGHLAND_GEV, MUON_MASS_GEV } from '../core/units'
import { mixtureScratch, mixtureSlopes } from './mixture-information'
import type { PathMatrix } from './paths'

/** the entry momentum, and whether the muons lose energy at all (the simulation's energy_loss) */
export type EntryMomentum = ({ kind: 'point'; p: Float32Array } | { kind: 'prior'; p: Float64Array }) & { energyLoss: boolean }

export const REFERENCE: MaterialName[] = ['air', 'water', 'concrete', 'aluminium', 'iron', 'copper', 'lead', 'uranium']
export const REF_LN_LAMBDA = Float64Array.from(REFERENCE, (m) => -Math.log(MATERIALS[m].x0_m))
/** loss per radiation length (GeV per X0) of each reference material against ln T, TABLE_N each */
export const REF_LOSS = new Float64Array(REFERENCE.length * TABLE_N)
REFERENCE.forEach((m, r) => {
  const t = lossTable(m)
  for (let k = 0; k < TABLE_N; k++) REF_LOSS[r * TABLE_N + k] = t[k] * MATERIALS[m].x0_m
})
/** kinetic energy (GeV) below which the model's muon has stopped */
export const STOP_GEV = 0.005
/** the momentum used for a muon seen leaving that the model says stopped (GeV/c) */
export const FLOOR_P = 0.1

/** per voxel: the reference segment r (between r and r+1) and the weight of r+1, in ln λ */
export interface ReferenceWeights { seg: Int32Array; w: Float64Array }

/** a voxel within this of a reference in ln λ is that reference (w = 1 of the segment below it, where the loss's
 *  slope in λ is the mean of the two sides: lossSlopes). A material's λ = 1/X0 and the reference's ln λ = −ln X0
 *  differ by rounding, and float32 on the GPU (gpu/energy-loss-wgsl.ts) rounds differently from float64: without it,
 *  that rounding would pick a side. */
export const REF_SNAP = 1e-5

export function referenceWeights(lambda: ArrayLike<number>): ReferenceWeights {
  const V = lambda.length
  const seg = new Int32Array(V), w = new Float64Array(V)
  const R = REFERENCE.length
  for (let j = 0; j < V; j++) {
    const l = Math.log(Math.max(lambda[j], 1e-12))
    let r = 0
    while (r < R - 2 && l > REF_LN_LAMBDA[r + 1] + REF_SNAP) r++
    seg[j] = r
    w[j] = Math.abs(l - REF_LN_LAMBDA[r + 1]) <= REF_SNAP
      ? 1
      : Math.min(1, Math.max(0, (l - REF_LN_LAMBDA[r]) / (REF_LN_LAMBDA[r + 1] - REF_LN_LAMBDA[r])))
  }
  return { seg, w }
}

// lossSlopes' inputs, in a scratch array: a call with numbers that are not small integers would box each of them
const LA = 0, LB = 1, PER_U = 2, ROW = 3, FRAC = 4, LAMBDA = 5, W = 6, LEN = 7, KIN = 8, U_MID = 9, SLOPES_SIZE = 10

/** reference r's loss per radiation length at table row k, a fraction f of the way to row k + 1 */
function refPerX0(r: number, k: number, f: number): number {
  const a = r * TABLE_N + k
  return REF_LOSS[a] * (1 - f) + REF_LOSS[a + 1] * f
}

/** the slope in ln λ between references q and q + 1, whose losses per radiation length are lq and lnext */
function lnLambdaSlope(q: number, lq: number, lnext: number): number {
  return (lnext - lq) / (REF_LN_LAMBDA[q + 1] - REF_LN_LAMBDA[q])
}

/** per path entry of one muon: a = Lλ, and per entry and quantile (the quantile's row of the muon's room): c, dc/dE
 *  and the loss's two slopes (lossSlopes) */
interface DerivativeScratch { a: Float64Array; c: Float64Array; slope: Float64Array; perLambda: Float64Array; g: Float64Array }

/**
 * The two slopes of the loss per metre at the half-way point of the voxel at x in the derivative's scratch (`at`: the
 * references' losses per radiation length la and lb there, at table row ROW and fraction FRAC, their mixture's slope
 * per unit of table coordinate, λ, w, the length and the kinetic energy): `perLambda`, d(loss per metre)/dλ, and
 * `g`, L·d(loss per metre)/dT (a muon that enters slower loses a little less). λ sets the material too (its loss per
 * radiation length, interpolated in ln λ between the references r and r + 1), so the loss per metre grows more
 * slowly than λ. On a reference itself (w = 1 inside the table: most materials of a design are references) the
 * interpolation has a kink, and the slope is the mean of the two sides', as a central difference gives; beyond the
 * table's ends it is flat.
 */
function lossSlopes(at: Float64Array, r: number, x: number, s: DerivativeScratch): void {
  const la = at[LA], lb = at[LB], w = at[W]
  let dl = 0
  if (w > 0 && w < 1) dl = lnLambdaSlope(r, la, lb)
  else if (w === 1 && r + 2 < REFERENCE.length) dl = 0.5 * (lnLambdaSlope(r, la, lb) + lnLambdaSlope(r + 1, lb, refPerX0(r + 2, at[ROW], at[FRAC])))
  s.perLambda[x] = la * (1 - w) + lb * w + dl
  s.g[x] = at[U_MID] > 0 ? (at[LEN] * at[LAMBDA] * at[PER_U] * TABLE_PER_E) / at[KIN] : 0
}

const c = (e: number) => {
  const bp = (e * e - MUON_MASS_GEV * MUON_MASS_GEV) / e
  return (HIGHLAND_GEV / bp) ** 2
}

export interface PathMomentum {
  /** c̄ along the path, c at the entry and at the exit, per muon */
  c: Float64Array
  cIn: Float64Array
  cOut: Float64Array
  /** the model says the muon stops inside (for every quantile of the prior) */
  stops: Uint8Array
  /** ∂c̄/∂λ_j per path entry, when asked for (pathMomentum's `derivative`) */
  dc?: Float64Array
  /** per muon and quantile of a prior ([N, Q]), when asked for (`perQuantile`): c̄ of each quantile that leaves, 0 for
   *  one that stops (the last quantile's c̄ when every one stops, as c) */
  cq?: Float64Array
  /** for a prior, when asked for (`mixture`), what the Fisher term takes from the mixture likelihood
   *  (mixture-information.ts): κ per muon and the mean ∂s/∂λ_j per path entry */
  kappa?: Float64Array
  ds?: Float64Array
}

export interface MomentumOptions { derivative?: boolean; perQuantile?: boolean; mixture?: boolean }

/**
 * ∂c̄/∂λ_j of one muon's entries [k0, k1) into d, c̄ = Σ_k c_k a_k / A (a_k = L_k λ_k, A = Σ a_k) with the mid-voxel
 * energies E_k. Voxel j loses L_j·ℓ_j more energy per unit of λ_j (ℓ_j = d(loss per metre)/dλ, lossSlopes): that
 * lowers E_j by half of it and the energy leaving it by all of it. So
 * ∂c̄/∂λ_j = [L_j (c_j − c̄) − L_j ℓ_j (½ a_j c′_j + G_{j+1})] / A, c′ = dc/dE, where G_k = ∂(A c̄)/∂E entering voxel k
 * is summed backwards: G_k = a_k c′_k (1 − ½ g_k) + G_{k+1} (1 − g_k), g_k = L_k ∂(loss per metre)/∂E (a muon that
 * enters slower loses a little less on the way). The quantile's numbers start at `row` in the scratch.
 */
function pathDerivative(length: ArrayLike<number>, k0: number, k1: number, s: DerivativeScratch, row: number, cBar: number, A: number, d: Float64Array): void {
  let after = 0
  for (let q = k1 - 1; q >= k0; q--) {
    const o = q - k0, x = row + o, L = length[q], ac = s.a[o] * s.slope[x]
    d[o] = (L * (s.c[x] - cBar) - L * s.perLambda[x] * (0.5 * ac + after)) / A
    after = ac * (1 - 0.5 * s.g[x]) + after * (1 - s.g[x])
  }
}

/** Follow each muon of the path matrix (entries in path order) from its entry momentum under the densities λ. */
export function pathMomentum(paths: PathMatrix, lambda: ArrayLike<number>, entry: EntryMomentum, opts: MomentumOptions = {}): PathMomentum {
  const out = momentumOutput(paths, entry, opts)
  momentumRange(paths, lambda, entry, referenceWeights(lambda), 0, paths.nMuons, out)
  return out
}

/** the arrays pathMomentum fills, as `opts` asks for them, made by f64 and u8 (shared memory for the kernel threads) */
export function momentumOutput(
  paths: PathMatrix, entry: EntryMomentum, opts: MomentumOptions,
  f64 = (n: number): Float64Array => new Float64Array(n), u8 = (n: number): Uint8Array => new Uint8Array(n),
): PathMomentum {
  const N = paths.nMuons
  const out: PathMomentum = { c: f64(N), cIn: f64(N), cOut: f64(N), stops: u8(N) }
  const mixture = opts.mixture && entry.kind === 'prior'
  // the mixture's information is made of each quantile's derivative
  if (opts.derivative || mixture) out.dc = f64(paths.nnz)
  if (opts.perQuantile && entry.kind === 'prior') out.cq = f64(N * entry.p.length)
  if (mixture) { out.kappa = f64(N); out.ds = f64(paths.nnz) }
  return out
}

/**
 * pathMomentum for muons [i0, i1) into out (paths are muon-major: their entries are found by bisection). Each voxel
 * takes the loss at its mid-path energy (the midpoint rule). ln T, the loss table's coordinate, is carried along the
 * path as ln T + ln(1 − ΔT/T) (lnOneMinus), so a voxel rarely costs a logarithm. A prior's quantiles go down the
 * path together, voxel by voxel: they share the voxel's numbers and the walk (1.4 times faster than one quantile
 * after the other).
 */
export function momentumRange(
  paths: PathMatrix, lambda: ArrayLike<number>, entry: EntryMomentum, ref: ReferenceWeights,
  i0: number, i1: number, out: PathMomentum,
): void {
  const quantiles = entry.kind === 'prior' ? entry.p : null
  const points = entry.kind === 'point' ? entry.p : null
  const nq = quantiles ? quantiles.length : 1
  const eloss = entry.energyLoss
  const { seg, w } = ref
  const voxel = paths.voxel, length = paths.length, muon = paths.muon, nnz = paths.nnz
  const M = MUON_MASS_GEV, H = HIGHLAND_GEV, PER_E = TABLE_PER_E, LN0 = TABLE_LN_T0, LN_MIN = Math.log(1e-3)
  const cFloor = c(Math.hypot(FLOOR_P, M))
  // each quantile's kinetic energy and its log along the path, Σ c·Lλ, and whether it stopped
  const st = new Float64Array(3 * nq), stopQ = new Uint8Array(nq)
  // at the entry, per quantile of a prior (the same for every muon) or for the muon's point value: T, ln T, c
  const kin0 = new Float64Array(nq), ln0 = new Float64Array(nq), c0 = new Float64Array(nq)
  const entryValues = (q: number, p0: number) => {
    const e = Math.sqrt(p0 * p0 + M * M)
    kin0[q] = e - M
    ln0[q] = Math.log(kin0[q])
    c0[q] = c(e)
  }
  if (quantiles) for (let q = 0; q < nq; q++) entryValues(q, quantiles[q])
  // the derivative's scratch per entry of a muon and quantile (room for `cap` entries), one quantile's derivative,
  // its sum over the quantiles that leave, and the last quantile's; for the mixture's information, the leaving
  // quantiles' c̄ and derivatives (rows of cap)
  const dc = eloss ? out.dc : undefined, mix = quantiles ? out.ds : undefined
  const at = new Float64Array(SLOPES_SIZE)
  const none = new Float64Array(0), leaving = new Float64Array(nq), ms = mixtureScratch(mix ? nq : 0)
  let scratch: DerivativeScratch = { a: none, c: none, slope: none, perLambda: none, g: none }, dq = none, dSum = none, dLast = none
  let rows = none, cap = 0
  let k = firstEntry(paths, i0)
  for (let i = i0; i < i1; i++) {
    const k0 = k
    let k1 = k0
    while (k1 < nnz && muon[k1] === i) k1++
    k = k1
    if ((dc || mix) && cap < k1 - k0) {
      cap = 2 * (k1 - k0)
      const f = () => new Float64Array(cap), fq = () => new Float64Array(nq * cap)
      scratch = { a: f(), c: fq(), slope: fq(), perLambda: fq(), g: fq() }
      dq = f(); dSum = f(); dLast = f()
      if (mix) rows = fq()
    }
    if (points) entryValues(0, points[i])
    for (let qi = 0; qi < nq; qi++) { st[3 * qi] = kin0[qi]; st[3 * qi + 1] = ln0[qi]; st[3 * qi + 2] = 0; stopQ[qi] = 0 }
    let den = 0
    // one value (a known or measured momentum) keeps its energy in locals from voxel to voxel: through the array,
    // each voxel's energy would wait for the last one's store
    const one = nq === 1
    let kin1 = st[0], ln1 = st[1]
    if (eloss) {
      for (let q = k0; q < k1; q++) {
        const j = voxel[q], L = length[q]
        const lj = lambda[j], r = seg[j], wj = w[j]
        const dt = L * lj, o = q - k0
        den += dt
        if (dc) scratch.a[o] = dt
        for (let qi = 0; qi < nq; qi++) {
          const b = 3 * qi
          let kin = one ? kin1 : st[b], lnKin = one ? ln1 : st[b + 1]
          const u0 = ((lnKin > LN_MIN ? lnKin : LN_MIN) - LN0) * PER_E
          const perKin = L / kin
          // The midpoint rule: the loss per metre at the entry energy gives the half-way energy, and the loss there
          // the voxel's. It is λ times the loss per radiation length interpolated in ln T and in ln λ; the reference
          // table is small (it stays in the first-level cache), which beats a table per voxel. The loss is linear in
          // u within a table row, and the half-way point nearly always lies in the entry's row: its four values
          // serve both points.
          let row = Math.min(Math.floor(u0), TABLE_N - 2), ta = r * TABLE_N + row
          let A0 = REF_LOSS[ta], A1 = REF_LOSS[ta + 1], B0 = REF_LOSS[ta + TABLE_N], B1 = REF_LOSS[ta + TABLE_N + 1]
          const f0 = Math.min(1, u0 - row)
          const x = 0.5 * (lj * ((A0 * (1 - f0) + A1 * f0) * (1 - wj) + (B0 * (1 - f0) + B1 * f0) * wj)) * perKin
          const uMid = u0 + lnOneMinus(x < 0.999 ? x : 0.999) * PER_E
          const um = uMid > 0 ? uMid : 0
          if (um < row) {
            row = Math.floor(um)
            ta = r * TABLE_N + row
            A0 = REF_LOSS[ta]; A1 = REF_LOSS[ta + 1]; B0 = REF_LOSS[ta + TABLE_N]; B1 = REF_LOSS[ta + TABLE_N + 1]
          }
          const fm = Math.min(1, um - row)
          const la = A0 * (1 - fm) + A1 * fm, lb = B0 * (1 - fm) + B1 * fm
          const lm = lj * (la * (1 - wj) + lb * wj)
          const mid = Math.max(kin - 0.5 * lm * L, STOP_GEV) + M
          // c = (13.6 MeV/βp)², βp = (E² − m²)/E
          const h = (H * mid) / (mid * mid - M * M)
          st[b + 2] += h * h * dt
          if (dc) {
            const xs = qi * cap + o
            // dc/dE of c = H²E²/(E² − m²)²
            const d2 = mid * mid - M * M
            scratch.c[xs] = h * h
            scratch.slope[xs] = (-2 * H * H * mid * (mid * mid + M * M)) / (d2 * d2 * d2)
            at[LA] = la; at[LB] = lb; at[PER_U] = (A1 - A0) * (1 - wj) + (B1 - B0) * wj; at[ROW] = row; at[FRAC] = fm
            at[LAMBDA] = lj; at[W] = wj; at[LEN] = L; at[KIN] = mid - M; at[U_MID] = uMid
            lossSlopes(at, r, xs, scratch)
          }
          const y = lm * perKin
          kin -= lm * L
          if (kin < STOP_GEV) { stopQ[qi] = 1; kin = STOP_GEV; lnKin = Math.log(kin) } else lnKin += lnOneMinus(y)
          if (one) { kin1 = kin; ln1 = lnKin } else { st[b] = kin; st[b + 1] = lnKin }
        }
      }
      if (one) { st[0] = kin1; st[1] = ln1 }
    }
    if (dc) dSum.fill(0, 0, k1 - k0)
    let sumC = 0, sumIn = 0, sumOut = 0, n = 0, lastC = 0, lastIn = 0, lastOut = 0
    for (let qi = 0; qi < nq; qi++) {
      const cIn = c0[qi]
      const stopped = stopQ[qi] === 1
      let cBar = cIn
      if (eloss) {
        if (den > 0) cBar = Math.min(st[3 * qi + 2] / den, cFloor)
        if (dc) {
          // at the floor, c̄ does not move with λ
          if (den > 0 && cBar < cFloor) pathDerivative(length, k0, k1, scratch, qi * cap, cBar, den, dq)
          else dq.fill(0, 0, k1 - k0)
          if (!stopped) for (let o = 0; o < k1 - k0; o++) dSum[o] += dq[o]
          if (mix && !stopped) for (let o = 0; o < k1 - k0; o++) rows[n * cap + o] = dq[o]
          ;[dq, dLast] = [dLast, dq]
        }
      }
      const cOut = Math.min(c(st[3 * qi] + M), cFloor)
      lastC = cBar; lastIn = cIn; lastOut = cOut
      if (!stopped) { leaving[n] = cBar; sumC += cBar; sumIn += cIn; sumOut += cOut; n++ }
      if (out.cq) out.cq[i * nq + qi] = stopped ? 0 : cBar
    }
    if (out.cq && !n) out.cq[i * nq + nq - 1] = lastC
    if (dc) for (let o = 0; o < k1 - k0; o++) dc[k0 + o] = n ? dSum[o] / n : dLast[o]
    if (mix) {
      let t = 0
      for (let q = k0; q < k1; q++) t += length[q] * lambda[voxel[q]]
      // if every quantile stops, the last one's, as c̄ takes
      if (n) out.kappa![i] = mixtureSlopes(leaving, n, rows, cap, k1 - k0, length, k0, t, mix, ms)
      else { leaving[0] = lastC; out.kappa![i] = mixtureSlopes(leaving, 1, dLast, cap, k1 - k0, length, k0, t, mix, ms) }
    }
    // seen leaving: use the quantiles that leave; if none does (or the one point value stops), the last one
    out.c[i] = n ? sumC / n : lastC
    out.cIn[i] = n ? sumIn / n : lastIn
    out.cOut[i] = n ? sumOut / n : lastOut
    out.stops[i] = n ? 0 : 1
  }
}

/** the first entry of muon i or of a later one */
export function firstEntry(paths: PathMatrix, i: number): number {
  let lo = 0, hi = paths.nnz
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (paths.muon[mid] < i) lo = mid + 1
    else hi = mid
  }
  return lo
}
