// Stopped muons as information: the absorption (transmission) likelihood of docs/physics-inference.md, "Stopped muons".
// A muon seen entering the volume (a track above) is followed along its entry line continued straight through the
// volume. The kinetic energy it needs to come out, T_cross, follows from the densities λ: walking the path backwards
// from the exit with the residual range of each voxel's material, R(T_out) + λL(1 + d) = R(T_in), where R is the
// CSDA range in radiation lengths, ∫ dT / (dE/dx·X0) (Groom, Mokhov & Striganov, ADNDT 78 (2001) 183; PDG RPP 2024
// §34.2), of the material that λ stands for (the reference materials of the momentum model, momentum-model.ts,
// their ranges interpolated between the two that bracket ln λ), and d the detour of a scattered path (DETOUR_GEV).
// Each voxel is crossed exactly (no step error), and T_cross and its gradient in every λ_j along the path are
// smooth closed forms.
// The muon stops with probability P = P(T_entry < T_cross): for a known or measured entry momentum a log-normal in
// T whose width holds the range straggling and the measurement's resolution; for an unknown momentum, the prior
// spectrum's distribution function (its quantiles, interpolated in ln p) at the crossing momentum.
// A transmitted muon is seen below with probability π = (1 − P)·A·(1 − η): A the below stack's acceptance along
// the continued line (hard panel edges × efficiency, P(≥ 2 hits)), η the share lost for other reasons (scattered
// out of the panels). The log-likelihood is Σ_i u_i [E_i ln π_i + (1 − E_i) ln(1 − π_i)], u_i the weight of the entry
// track and E_i that of the exit track (Lesparre et al., Geophys. J. Int. 183 (2010) 1348, for the absorption
// method; Procureur, NIM A878 (2018) 169, for a review).
import { fastExp } from '../core/fast-exp'
import { hypot2 } from '../core/hypot'
import { MUON_MASS_GEV } from '../core/units'
import { TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { REFERENCE, REF_LN_LAMBDA, REF_LOSS, firstEntry, referenceWeights, type EntryMomentum, type ReferenceWeights } from './momentum-model'
import { rowStarts, type PathMatrix } from './paths'
import { RANGE_CUT_GEV } from './propagate'
import { crossingEnergyBlocks, nearThresholdBlocks } from './absorption-blocks'
import { refreshAt } from './em'

/** A multiply scattered muon zig-zags: its path is longer than its line by a detour factor 1 + d that grows with
 *  the scattering per unit of energy lost, 1/(dE/dx·X0), so d = DETOUR_GEV/(dE/dx·X0)_min of the material (1.5 % in
 *  iron, 4.2 % in lead, 4.6 % in uranium). DETOUR_GEV is fitted to pencil beams through 0.5 m of iron, 1 m of lead
 *  and 0.3 m of uranium: at the momentum the model says half of them stop, the simulation stops 47–55 %
 *  (absorption.test.ts). */
export const DETOUR_GEV = 3.0e-4
/** width in ln T of the kinetic energy that just crosses a path: range straggling (delta rays, Bohr's spread) */
export const STRAGGLING = 0.065
/** share of the transmitted muons seen leaving that are lost below for reasons the model does not follow */
export const LOST_BELOW = 0.02
/** a stop probability never reaches 0 or 1 (a muon misassigned, an entry track that was not the muon's) */
export const OUTLIER = 1e-3

const R = REFERENCE.length

/** residual range in radiation lengths at the table's energies (from T = 0) for a loss per X0 at table coordinate u */
function rangeTable(loss: (u: number) => number): Float64Array {
  const out = new Float64Array(TABLE_N)
  const t0 = Math.exp(TABLE_LN_T0)
  // below the table's first energy the loss rises as ~1/T, whose range is T/(2 loss)
  let acc = t0 / (2 * loss(0))
  out[0] = acc
  const sub = 8 // Simpson over ln T: ∫ T/loss d(ln T)
  for (let k = 0; k < TABLE_N - 1; k++) {
    let s = 0
    for (let m = 0; m <= sub; m++) {
      const u = k + m / sub
      const g = Math.exp(TABLE_LN_T0 + u / TABLE_PER_E) / loss(u)
      s += g * (m === 0 || m === sub ? 1 : m % 2 ? 4 : 2)
    }
    acc += (s / (3 * sub)) / TABLE_PER_E
    out[k + 1] = acc
  }
  return out
}

/** loss per X0 of reference r at table coordinate u, linear in ln T as the momentum model reads it */
function refLoss(r: number, u: number): number {
  const k = Math.min(Math.floor(u), TABLE_N - 2), f = u - k
  return REF_LOSS[r * TABLE_N + k] * (1 - f) + REF_LOSS[r * TABLE_N + k + 1] * f
}

/** residual range in radiation lengths of each reference material at the table's energies */
export const REF_RANGE = new Float64Array(R * TABLE_N)
for (let r = 0; r < R; r++) REF_RANGE.set(rangeTable((u) => refLoss(r, u)), r * TABLE_N)

/** the range, in X0, of a muon that loses at every energy the most any reference loses per X0: no path of the
 *  references' mixtures of that many X0 takes more energy to cross (ln of it, for the bound in nearThreshold) */
const LN_SHORTEST_RANGE = rangeTable((u) => Math.max(...REFERENCE.map((_, r) => refLoss(r, u)))).map(Math.log)

/** the detour d of each reference material (DETOUR_GEV over its smallest loss per radiation length) */
export const REF_DETOUR = Float64Array.from(REFERENCE, (_, r) => DETOUR_GEV / Math.min(...REF_LOSS.subarray(r * TABLE_N, (r + 1) * TABLE_N)))

/** the detour d of reference material r (the path is 1 + d times its line) */
export function referenceDetour(r: number): number {
  return REF_DETOUR[r]
}

/** residual range (in X0) of reference material r at kinetic energy kin (GeV), for tests and the docs */
export function referenceRange(r: number, kin: number): number {
  const at = new Float64Array(AT_SIZE)
  at[MIX_W] = 0
  at[TAU] = kin === 0 ? -Infinity : Math.log(kin)
  lnRange(r, at)
  return Math.exp(at[LN_R])
}

// A range point lives in a caller's scratch array at these offsets: ln R, its slope in ln T, its derivative in w, the
// knot below it, and the inputs: the mixture's weight w, ln T (lnRange's input, invertRange's result), and the range
// sought with its log (invertRange's inputs). The crossing walk evaluates two per voxel; objects there cost it a third
// of its time in allocation and collection, and calls with numbers that are not small integers box each of them.
const LN_R = 0, D_TAU = 1, D_W = 2, KNOT = 3, MIX_W = 4, TAU = 5, RHO = 6, LN_RHO = 7, AT_SIZE = 8

/** ln R and its derivatives at fraction f between knots k and k+1 of references a and b (mixture ranges m0, m1) */
function rangePoint(a: number, b: number, k: number, f: number, m0: number, m1: number, l0: number, l1: number, at: Float64Array): void {
  at[LN_R] = l0 * (1 - f) + l1 * f
  at[D_TAU] = (l1 - l0) * TABLE_PER_E
  at[D_W] = (1 - f) * (REF_RANGE[b + k] - REF_RANGE[a + k]) / m0 + f * (REF_RANGE[b + k + 1] - REF_RANGE[a + k + 1]) / m1
  at[KNOT] = k
}

/** ln R at ln T = at[TAU] for the mixture (1 − w)·ref r + w·ref r+1, w = at[MIX_W] (ln R linear in ln T between the
 *  table's knots) */
function lnRange(r: number, at: Float64Array): void {
  const w = at[MIX_W]
  let u = (at[TAU] - TABLE_LN_T0) * TABLE_PER_E
  if (!(u > 0)) u = 0
  const k = Math.min(Math.floor(u), TABLE_N - 2), f = Math.min(1, u - k)
  const a = r * TABLE_N, b = Math.min(r + 1, R - 1) * TABLE_N
  const m0 = REF_RANGE[a + k] * (1 - w) + REF_RANGE[b + k] * w
  const m1 = REF_RANGE[a + k + 1] * (1 - w) + REF_RANGE[b + k + 1] * w
  rangePoint(a, b, k, f, m0, m1, Math.log(m0), Math.log(m1), at)
}

/**
 * at[TAU] = the ln T where the mixture's range (weight at[MIX_W]) equals at[RHO] (whose log is at[LN_RHO]), at or
 * above table knot k0, with ln R's derivatives there. The walk's energy only grows, a few knots per voxel: the knot is
 * found by stepping up from k0, in the ranges themselves (no logarithm until it is found).
 */
function invertRange(r: number, k0: number, at: Float64Array): void {
  const w = at[MIX_W], rho = at[RHO]
  const a = r * TABLE_N, b = Math.min(r + 1, R - 1) * TABLE_N
  let k = Math.max(0, Math.min(k0, TABLE_N - 2))
  let m0 = REF_RANGE[a + k] * (1 - w) + REF_RANGE[b + k] * w, m1 = REF_RANGE[a + k + 1] * (1 - w) + REF_RANGE[b + k + 1] * w
  while (k < TABLE_N - 2 && rho > m1) { k++; m0 = m1; m1 = REF_RANGE[a + k + 1] * (1 - w) + REF_RANGE[b + k + 1] * w }
  while (k > 0 && rho < m0) { k--; m1 = m0; m0 = REF_RANGE[a + k] * (1 - w) + REF_RANGE[b + k] * w }
  const l0 = Math.log(m0), l1 = Math.log(m1)
  const f = (at[LN_RHO] - l0) / (l1 - l0)
  rangePoint(a, b, k, f, m0, m1, l0, l1, at)
  at[TAU] = TABLE_LN_T0 + (k + f) / TABLE_PER_E
}

/** the table knot at or below ln T = tau */
const knot = (tau: number) => Math.max(0, Math.floor((tau - TABLE_LN_T0) * TABLE_PER_E))

export interface CrossingEnergy {
  /** per muon: ln of the kinetic energy (GeV) that just crosses its path (−∞ for a muon whose path is empty) */
  lnT: Float64Array
  /** per path entry: ∂ ln T_cross / ∂ λ of the entry's voxel */
  grad: Float64Array
}

/** per muon of a range: its entries' ∂τ_in/∂τ_out until the forward sweep (scratch, nnz) */
export interface CrossingOut extends CrossingEnergy { carry: Float64Array }

/**
 * The crossing energy of muons [i0, i1) of the paths under the densities λ, and its gradient (module comment), into
 * out. With `active`, only the muons it marks (the others keep lnT = −∞: they never stop).
 */
export function crossingRange(
  paths: PathMatrix, lambda: ArrayLike<number>, active: Uint8Array | null, ref: ReferenceWeights,
  i0: number, i1: number, out: CrossingOut,
): void {
  const { seg, w } = ref
  const { lnT, grad, carry } = out
  const tauStop = Math.log(RANGE_CUT_GEV)
  let outP = new Float64Array(AT_SIZE), inn = new Float64Array(AT_SIZE)
  let k1 = firstEntry(paths, i0)
  for (let i = i0; i < i1; i++) {
    lnT[i] = -Infinity
    let k2 = k1
    while (k2 < paths.nnz && paths.muon[k2] === i) k2++
    if (active && !active[i]) { k1 = k2; continue }
    // backwards from the exit: τ_out → τ_in for each voxel
    let tau = tauStop, kn = knot(tau), rhoIn = 0, rPrev = -1
    for (let q = k2 - 1; q >= k1; q--) {
      const j = paths.voxel[q], L = paths.length[q], lam = lambda[j], r = seg[j], wj = w[j]
      let rhoOut: number
      if (r === rPrev && wj === inn[MIX_W]) {
        // the same mixture as the voxel after it: its entry point is this voxel's exit point
        const t = outP
        outP = inn
        inn = t
        rhoOut = rhoIn
      } else {
        outP[MIX_W] = wj
        outP[TAU] = tau
        lnRange(r, outP)
        rhoOut = fastExp(outP[LN_R])
      }
      // w = (ln λ − ln λ_r)/(ln λ_r+1 − ln λ_r) inside its segment, clamped (constant) outside
      const dw = wj > 0 && wj < 1 ? 1 / (lam * (REF_LN_LAMBDA[r + 1] - REF_LN_LAMBDA[r])) : 0
      // the X0 the muon's zig-zag path takes, and its derivative in λ (d interpolated like the range)
      const r1 = Math.min(r + 1, R - 1), det = REF_DETOUR[r] * (1 - wj) + REF_DETOUR[r1] * wj
      rhoIn = rhoOut + lam * L * (1 + det)
      inn[MIX_W] = wj
      inn[RHO] = rhoIn
      inn[LN_RHO] = Math.log(rhoIn)
      invertRange(r, kn, inn)
      rPrev = r
      // ln ρ_in = ln(ρ_out + λL): differentiate both sides of lnR(τ_in, w) = ln ρ_in
      const dx = L * (1 + det) + lam * L * (REF_DETOUR[r1] - REF_DETOUR[r]) * dw
      grad[q] = ((dx + rhoOut * outP[D_W] * dw) / rhoIn - inn[D_W] * dw) / inn[D_TAU]
      carry[q] = (rhoOut * outP[D_TAU]) / rhoIn / inn[D_TAU]
      tau = inn[TAU]
      kn = inn[KNOT]
    }
    if (k2 > k1) lnT[i] = tau
    // forward from the entry: ∂τ_cross/∂λ_q = grad_q · Π over the voxels between the entry and q of ∂τ_in/∂τ_out
    let prod = 1
    for (let q = k1; q < k2; q++) {
      grad[q] *= prod
      prod *= carry[q]
    }
    k1 = k2
  }
}

/** The crossing energy of every path under the densities λ, and its gradient (one thread; absorption-blocks.ts for all). */
export function crossingEnergy(paths: PathMatrix, lambda: ArrayLike<number>, active: Uint8Array | null = null): CrossingEnergy {
  const out = { lnT: new Float64Array(paths.nMuons), grad: new Float64Array(paths.nnz), carry: new Float64Array(paths.nnz) }
  crossingRange(paths, lambda, active, referenceWeights(lambda), 0, paths.nMuons, out)
  return { lnT: out.lnT, grad: out.grad }
}

/** the standard normal distribution function (Abramowitz & Stegun 7.1.26, |error| < 1.5·10⁻⁷) and density */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)
  return z >= 0 ? 1 - 0.5 * y : 0.5 * y
}
const normalPdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)

/** the entry momentum as the absorption term needs it: the momentum model's, with the resolution of a measured one */
export type AbsorptionEntry = EntryMomentum & { resolution: number }

/**
 * P(stop) of muon i for ln T_cross = lnT and its derivative in lnT (module comment). A muon with an empty path
 * (lnT = −∞) never stops.
 */
export function stopProbability(entry: AbsorptionEntry, i: number, lnT: number): { p: number; dLnT: number } {
  if (!entry.energyLoss || lnT === -Infinity) return { p: 0, dLnT: 0 }
  if (entry.kind === 'point') {
    const p = entry.p[i], e = hypot2(p, MUON_MASS_GEV), kin = e - MUON_MASS_GEV
    // σ(ln T) of the measurement: d ln T / d ln p = p²/(E·T)
    const meas = (entry.resolution * p * p) / (e * kin)
    const sigma = Math.sqrt(STRAGGLING * STRAGGLING + meas * meas)
    const z = (lnT - Math.log(kin)) / sigma
    return { p: normalCdf(z), dLnT: normalPdf(z) / sigma }
  }
  // the prior's distribution function, linear in ln p between its mid-quantiles (q + ½)/Q, straight on to 0 and 1
  const q = entry.p, Q = q.length
  const kin = Math.exp(lnT), pc = Math.sqrt(kin * (kin + 2 * MUON_MASS_GEV)), lp = Math.log(pc)
  const dLnP = (kin * (kin + MUON_MASS_GEV)) / (pc * pc) // d ln p / d ln T
  let k = 0
  while (k < Q - 2 && lp > Math.log(q[k + 1])) k++
  const x0 = Math.log(q[k]), x1 = Math.log(q[k + 1])
  const slope = 1 / Q / (x1 - x0)
  const cdf = (k + 0.5) / Q + slope * (lp - x0)
  if (cdf <= 0) return { p: 0, dLnT: 0 }
  if (cdf >= 1) return { p: 1, dLnT: 0 }
  return { p: cdf, dLnT: slope * dLnP }
}

/** The muons of the absorption term: their continued entry lines and what the panels saw. */
export interface AbsorptionObservations {
  /** the entry lines continued straight through the volume (paths.ts) */
  paths: PathMatrix
  /** per muon: weight of the entry track (P(≥ 2 hits above); 0 = not seen entering) */
  entered: ArrayLike<number>
  /** per muon: weight of the exit track (P(≥ 2 hits below); 0 for a muon that stopped) */
  exited: ArrayLike<number>
  /** per muon: P(≥ 2 hits below) along the continued entry line, had the muon come through */
  acceptance: ArrayLike<number>
  entry: AbsorptionEntry
}

export interface AbsorptionTerms {
  logL: number
  /** per voxel: the positive and the negative parts of ∂ logL/∂λ_j (the missing and the seen exits) */
  pos: Float64Array
  neg: Float64Array
  /** per voxel: λ_j times the separable curvature of the term (De Pierro, IEEE TMI 14 (1995) 132): Σ_i κ_i a_ij Σ_k a_ik λ_k,
   *  κ_i the Fisher information of muon i in ln T_cross and a_ij = |∂ ln T_cross/∂λ_j| */
  curvature: Float64Array
  /** per voxel: the Fisher information Σ_i u_i (∂π_i/∂λ_j)²/(π_i(1 − π_i)) */
  info: Float64Array
}

/** a muon whose entry energy lies this many σ above its crossing energy cannot stop (normal density e^−112) */
const FAR_ABOVE = 15

/**
 * The muons that may be near their stopping threshold under λ (null: all of them, for an unknown momentum): a bound
 * on the crossing energy from the path's X0 (with the largest detour) and the shortest range per X0 of any
 * reference, so the muons far above it (FAR_ABOVE σ) are left out without walking their paths.
 */
export function nearThreshold(paths: PathMatrix, lambda: ArrayLike<number>, entry: AbsorptionEntry): Uint8Array | null {
  if (entry.kind !== 'point') return null
  return nearThresholdBlocks(paths, lambda, entry)
}

/** what nearThreshold's blocks share: the marks go to `out`; rows: rowStarts of the paths */
export interface NearThresholdJob {
  paths: PathMatrix
  rows: Int32Array
  lambda: Float64Array
  entry: AbsorptionEntry
  out: Uint8Array
}

/** nearThreshold's marks of muons [i0, i1) */
export function nearThresholdRange(job: NearThresholdJob, i0: number, i1: number): void {
  const { paths, rows, lambda, entry, out } = job
  const dMax = Math.max(...REF_DETOUR)
  // a muon comes out at the range cut: the shortest range there is added to the path's
  const u = (Math.log(RANGE_CUT_GEV) - TABLE_LN_T0) * TABLE_PER_E, k = Math.floor(u)
  const atCut = Math.exp(LN_SHORTEST_RANGE[k] + (u - k) * (LN_SHORTEST_RANGE[k + 1] - LN_SHORTEST_RANGE[k]))
  for (let i = i0; i < i1; i++) {
    let x0 = 0
    for (let q = rows[i]; q < rows[i + 1]; q++) x0 += lambda[paths.voxel[q]] * paths.length[q]
    if (!(x0 > 0)) continue
    const lnBound = shortestRangeInverse(Math.log(atCut + x0 * (1 + dMax)))
    out[i] = stopZ(entry, i, lnBound) > -FAR_ABOVE ? 1 : 0
  }
}

/** ln T at which the shortest range reaches ln ρ (the table's top when beyond it) */
function shortestRangeInverse(lnRho: number): number {
  const t = LN_SHORTEST_RANGE
  if (lnRho <= t[0]) return TABLE_LN_T0
  let lo = 0, hi = TABLE_N - 1
  if (lnRho >= t[hi]) return TABLE_LN_T0 + hi / TABLE_PER_E
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (t[mid] <= lnRho) lo = mid
    else hi = mid
  }
  return TABLE_LN_T0 + (lo + (lnRho - t[lo]) / (t[lo + 1] - t[lo])) / TABLE_PER_E
}

/**
 * The absorption log-likelihood at densities λ, its gradient and its Fisher information (module comment). With
 * `active`, only the muons it marks; `nearStop` (when asked) marks the muons that are not far above their crossing
 * energy at this λ (every muon of an unknown momentum, whose prior always reaches the crossing energy).
 */
export function absorptionTerms(
  obs: AbsorptionObservations, lambda: ArrayLike<number>, active: Uint8Array | null = null,
): AbsorptionTerms & { nearStop: Uint8Array } {
  const { paths } = obs
  const V = paths.nVoxels
  const out = {
    logL: 0, pos: new Float64Array(V), neg: new Float64Array(V), curvature: new Float64Array(V), info: new Float64Array(V),
    nearStop: new Uint8Array(paths.nMuons),
  }
  // without energy loss nothing stops, and the term is constant
  if (!obs.entry.energyLoss) return out
  const cross = crossingEnergyBlocks(paths, lambda, active)
  const entry = obs.entry, rows = rowStarts(paths)
  for (let i = 0; i < paths.nMuons; i++) {
    const k0 = rows[i], k = rows[i + 1]
    const u = obs.entered[i]
    // a continued line that misses the panels below tells nothing about the path
    if (!(u > 0) || k === k0 || !(obs.acceptance[i] > 0) || (active && !active[i])) continue
    const s = stopProbability(entry, i, cross.lnT[i])
    out.nearStop[i] = entry.kind === 'prior' || stopZ(entry, i, cross.lnT[i]) > -FAR_ABOVE ? 1 : 0
    const P = OUTLIER + (1 - 2 * OUTLIER) * s.p
    const a = obs.acceptance[i] * (1 - LOST_BELOW)
    const pi = (1 - P) * a, E = obs.exited[i]
    out.logL += u * (E * Math.log(pi) + (1 - E) * Math.log(1 - pi))
    // ∂ℓ/∂P, and ∂π/∂P = −a
    const dP = u * (-E / (1 - P) + ((1 - E) * a) / (1 - pi))
    const dLnT = (1 - 2 * OUTLIER) * s.dLnT
    if (dLnT === 0) continue
    const fisher = (u * a * a * dLnT * dLnT) / (pi * (1 - pi))
    let sum = 0
    for (let q = k0; q < k; q++) sum += Math.abs(cross.grad[q]) * lambda[paths.voxel[q]]
    for (let q = k0; q < k; q++) {
      const j = paths.voxel[q], g = dLnT * cross.grad[q]
      const d = dP * g
      if (d > 0) out.pos[j] += d
      else out.neg[j] -= d
      out.info[j] += fisher * cross.grad[q] * cross.grad[q]
      out.curvature[j] += fisher * Math.abs(cross.grad[q]) * sum
    }
  }
  return out
}

/** (ln T_cross − ln T_entry)/σ of a muon with a point entry momentum (as stopProbability's normal) */
function stopZ(entry: AbsorptionEntry, i: number, lnT: number): number {
  if (entry.kind !== 'point' || lnT === -Infinity) return -Infinity
  const p = entry.p[i], e = hypot2(p, MUON_MASS_GEV), kin = e - MUON_MASS_GEV
  const meas = (entry.resolution * p * p) / (e * kin)
  return (lnT - Math.log(kin)) / Math.sqrt(STRAGGLING * STRAGGLING + meas * meas)
}

/**
 * The absorption term for the EM iterations (em.ts): every muon on the iterations where the momentum model
 * refreshes (λ moves most early on), or only on the first when the iterations start warm (from the previous step's
 * λ, which moves little; muons far above even a bound on their crossing energy are left out); in between only the
 * muons that were then not far above their crossing energy. The others'
 * stop probability and gradient are below e^−100, and the margin (15 σ, a factor of 2.6 or more in energy) is far
 * more than λ moves between two full evaluations.
 */
export function absorptionForEm(obs: AbsorptionObservations, warm: boolean): (lambda: Float64Array) => AbsorptionTerms {
  let it = 0
  // in between full evaluations, the muons not far above their crossing energy as a problem of their own: a fifth
  // or less of those seen entering, and the walks over every muon's row and the per-muon arrays shrink with it
  let near = obs
  return (lambda) => {
    const full = warm ? it === 0 : refreshAt(it)
    it++
    if (!full) return absorptionTerms(near, lambda)
    const t = absorptionTerms(obs, lambda, nearThreshold(obs.paths, lambda, obs.entry))
    near = muonSubset(obs, t.nearStop)
    return t
  }
}

/** the observations of the muons `keep` marks, in their order (so every sum over them is taken in the same order) */
export function muonSubset(obs: AbsorptionObservations, keep: Uint8Array): AbsorptionObservations {
  const { paths } = obs
  const rows = rowStarts(paths)
  const index: number[] = []
  let nnz = 0
  for (let i = 0; i < paths.nMuons; i++) if (keep[i]) { index.push(i); nnz += rows[i + 1] - rows[i] }
  const n = index.length
  const sub: PathMatrix = {
    nnz, nMuons: n, nVoxels: paths.nVoxels, muon: new Int32Array(nnz), voxel: new Int32Array(nnz),
    length: new Float32Array(nnz), total: Float32Array.from(index, (i) => paths.total[i]),
  }
  let k = 0
  index.forEach((i, m) => {
    for (let q = rows[i]; q < rows[i + 1]; q++, k++) {
      sub.muon[k] = m
      sub.voxel[k] = paths.voxel[q]
      sub.length[k] = paths.length[q]
    }
  })
  const pick = (a: ArrayLike<number>) => Float64Array.from(index, (i) => a[i])
  const entry: AbsorptionEntry = obs.entry.kind === 'point' ? { ...obs.entry, p: Float32Array.from(index, (i) => obs.entry.p[i]) } : obs.entry
  return { paths: sub, entered: pick(obs.entered), exited: pick(obs.exited), acceptance: pick(obs.acceptance), entry }
}
