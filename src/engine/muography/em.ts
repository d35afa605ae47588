// Per-voxel scattering density λ = 1/X0 by maximum likelihood, solved with multiplicative (EM-type) updates.
// Model: each muon's mean projected angle² m = θ²/2 (θ the 3-D angle between its fitted incoming and outgoing
// directions) is exponentially distributed with mean s = c·g(t) + e, where t = Σ_j L_j λ_j is its path in radiation
// lengths (cumulative Highland, see highland.ts), c = (13.6 MeV/βp)² and e the measurement variance of one
// projected angle. This is the angle part of the ML/EM reconstruction of Schultz et al., IEEE TIP 16 (2007) 1985,
// with the Highland log term kept (docs/physics-inference.md, "Calibrated X0"), which is what makes the X0 scale calibrated.
// Robust to the single-scattering tail: m is modelled as the mixture (1 − ε)·Exp(s) + ε·h, h(m) = s/(m + s)² (the
// m⁻² fall of Rutherford scattering, dN/dθ ∝ θ⁻³), and each iteration weights muon i by its posterior probability
// of being core, r_i = (1 − ε)e^(−m/s)/s / [(1 − ε)e^(−m/s)/s + ε h(m)], and ε becomes the weighted mean of
// 1 − r_i (the EM steps for the mixture): muons with a hard single scattering (m ≫ s) drop out instead of pulling
// X0 down, and a volume whose muons scatter without a tail keeps them all.
// The momentum along each path depends on the densities (momentum-model.ts): `refresh` recomputes c (and e, which
// holds the panels' scattering) from the current λ on the first iterations and every few after. For an unknown
// momentum each muon's likelihood is the mixture over the prior's values (mixtureUpdate).
// Each iteration runs on the kernel threads in two passes, per muon block and per voxel block (em-blocks.ts).
import { fastExp } from '../core/fast-exp'
import { highlandG, highlandGPrime } from './highland'
import type { PathMatrix } from './paths'
import type { ResidentPaths } from '../gpu/path-resident'
import { blockCount, outFloat64, runBlocks } from '../parallel/blocks'
import { EM_MUON_BLOCK, EM_VOXEL_BLOCK, emJob, emMuonBlock, emVoxelBlock } from './em-blocks'

export const LAMBDA_MIN = 1e-4 // X0 ≤ 10 km
export const LAMBDA_MAX = 1e4 // X0 ≥ 0.1 mm
/** ε to start from, the tail's share in the likelihood (a few % of muons scatter once beyond 2 θ0), and its range */
export const TAIL_WEIGHT = 0.03
export const TAIL_WEIGHT_RANGE = [1e-3, 0.3] as const

export interface MuonObservations {
  /** θ²/2 per muon (rad²) */
  m: ArrayLike<number>
  /** measurement variance of one projected angle (rad²) */
  e: ArrayLike<number>
  /** detection weight in [0, 1] (0 = not used) */
  w: ArrayLike<number>
  /** (13.6 MeV/βp)² per muon, averaged along its path */
  c: ArrayLike<number>
  /** for an unknown momentum: c of each of the prior's Q values per muon ([N, Q], 0 for a value that stops;
   *  mixtureUpdate) */
  mix?: { q: number; c: ArrayLike<number> }
}

/**
 * A voxel is updated only when λ times the update's denominator, its information in units of one muon's share of
 * its path (Σ_i w_i r_i λL_ij/t_i for the scattering term, plus the absorption term's), exceeds this. Below it the
 * update's ratio is one of vanishing numbers: in a 2000-muon validation solve a voxel crossed by one muon far above
 * its stopping threshold went to LAMBDA_MAX on the absorption term's 10⁻⁴⁶-sized parts, where float32 (the GPU
 * solve) had rounded them to 0 and kept λ.
 */
export const INFO_FLOOR = 1e-6

/**
 * A core probability below this is taken as 0: the muon scattered once, hard, and informs no voxel. A voxel that
 * only such muons cross would otherwise be updated by the ratio of their terms, m/s (in a 2000-muon validation
 * solve, a voxel crossed by one muon with m = 100 s went from λ = 3 to 320 on the first iteration, on the strength
 * of a weight of 10⁻⁴⁴), and float32 (the GPU solve) rounds such weights to 0 anyway.
 */
export const CORE_FLOOR = 1e-12

/** the core probability r_i of the tail mixture (module comment) for observation m and expected s */
export function coreProbability(m: number, s: number, eps = TAIL_WEIGHT): number {
  // once per muon and iteration: Math.exp here took a third of the EM's muon pass (core/fast-exp.ts)
  const core = ((1 - eps) * fastExp(-m / s)) / s
  const r = core / (core + (eps * s) / ((m + s) * (m + s)))
  return r < CORE_FLOOR ? 0 : r
}

/**
 * The likelihood of a muon whose entry momentum is one of Q equally likely values (an unknown momentum: the prior's
 * quantiles, momentum-model.ts) with path-averaged constants c_q = c[o + q] (0 for a value that would have stopped):
 * m follows the mixture of Exp(s_q), s_q = c_q·g + e, over the values that leave. A single plug-in c̄ would make m
 * far more spread than one exponential allows, and the tail mixture would take the slow muons' large angles for
 * single scatters and drop them (in a 60 cm uranium block: X0 19 times the truth). Into out: [0] the core
 * probability r (the tail's scale at the values' mean s), [1] Σ_q ρ_q c_q m/s_q² and [2] Σ_q ρ_q c_q/s_q, ρ_q the
 * posterior probability of value q: the update's terms are w·r·g′(t) times these (for one value, c·m/s² and c/s).
 * out[3 …] is scratch (Q entries).
 */
export function mixtureUpdate(m: number, e: number, g: number, c: ArrayLike<number>, o: number, Q: number, eps: number, out: Float64Array): void {
  // Densities relative to e^top, top = −1 − ln m, the most an Exp(s) density can be at m (at s = m):
  // d_q = (m/s_q)·e^(1 − m/s_q) ≤ 1, one exponential (Tang's, core/fast-exp.ts: most of this loop) and no logarithm
  // per value
  let n = 0, sMean = 0, f = 0, num = 0, den = 0
  for (let q = 0; q < Q; q++) {
    const cq = c[o + q]
    if (!(cq > 0)) continue
    const s = cq * g + e, y = m / s, d = y * fastExp(1 - y)
    f += d
    num += (d * cq * y) / s
    den += (d * cq) / s
    sMean += s
    n++
  }
  if (!n) { out[0] = out[1] = out[2] = 0; return }
  // a muon far beyond every value's scale (m/s above about 466, where d falls below 1e-200, or m = 0) underflows
  // them all: relative to the largest density instead
  if (!(f > 1e-200)) { mixtureUpdateFar(m, e, g, c, o, Q, eps, out); return }
  sMean /= n
  finishMixture(m, sMean, Math.log(1 - eps) - 1 - Math.log(m) + Math.log(f / n), eps, num / f, den / f, out)
}

/** mixtureUpdate with each log density taken relative to the largest (out[3 …] scratch) */
function mixtureUpdateFar(m: number, e: number, g: number, c: ArrayLike<number>, o: number, Q: number, eps: number, out: Float64Array): void {
  let top = -Infinity, n = 0, sMean = 0
  for (let q = 0; q < Q; q++) {
    const cq = c[o + q]
    if (!(cq > 0)) continue
    const s = cq * g + e, l = -m / s - Math.log(s)
    out[3 + q] = l
    if (l > top) top = l
    sMean += s
    n++
  }
  sMean /= n
  let f = 0, num = 0, den = 0
  for (let q = 0; q < Q; q++) {
    const cq = c[o + q]
    if (!(cq > 0)) continue
    const s = cq * g + e, d = Math.exp(out[3 + q] - top)
    f += d
    num += (d * cq * m) / (s * s)
    den += (d * cq) / s
  }
  finishMixture(m, sMean, Math.log(1 - eps) + top + Math.log(f / n), eps, num / f, den / f, out)
}

/** out[0] the core probability from the core's log density lnCore and the tail's at the values' mean scale sMean */
function finishMixture(m: number, sMean: number, lnCore: number, eps: number, num: number, den: number, out: Float64Array): void {
  const lnTail = Math.log((eps * sMean) / ((m + sMean) * (m + sMean)))
  const r = 1 / (1 + Math.exp(lnTail - lnCore))
  out[0] = r < CORE_FLOOR ? 0 : r
  out[1] = num
  out[2] = den
}

export interface EmResult {
  lambda: Float64Array
  /** per voxel: Σ w·L (efficiency-weighted path through the voxel, m) — 0 means no information */
  coverage: Float64Array
  iterations: number
  /** per muon at the solution: c and e as last refreshed, and the weight w·r used (r the core probability) */
  c: Float64Array
  e: Float64Array
  weight: Float64Array
}

export interface EmOptions {
  iterations?: number
  init?: Float64Array
  /** recompute obs.c and obs.e in place for densities λ */
  refresh?: (lambda: Float64Array) => void
  /** the iterations that refresh (default: refreshAt, or warmRefreshAt when the solve starts from `init`) */
  refreshOn?: (it: number) => boolean
  /** another likelihood term's gradient in λ, split into its positive and negative parts, and λ times a separable
   *  curvature (absorption.ts): the update becomes λ·(num + pos + K)/(den + neg + K), whose fixed point is the joint
   *  maximum and whose step, where the term dominates, is the separable Newton step (pos − neg)/(K/λ) */
  absorption?: (lambda: Float64Array) => { pos: ArrayLike<number>; neg: ArrayLike<number>; curvature: ArrayLike<number> }
}

/** refresh on iterations 0, 1, 2 and at powers of two: λ moves most in the first iterations */
export const refreshAt = (it: number) => it < 3 || (it & (it - 1)) === 0

/** From the previous step's λ, which moves little, refresh on iterations 0 and 4: on the benchmark volume
 *  (40 000 muons, 10 warm iterations) λ lands within 0.4 % (median over voxels; 1.3 % at the 90th percentile) of
 *  the solve that refreshes on 0, 1, 2, 4 and 8, where two batches differ by 32 % (em-warm.test.ts). */
export const warmRefreshAt = (it: number) => it === 0 || it === 4

/** a cold start: the momentum model's first refresh and the best single λ start from 10 cm radiation lengths, and
 *  the best single λ takes at most this many fixed-point steps, stopping when one moves it by less than this */
export const COLD_START = { lambda: 1 / 0.1, iterations: 30, tolerance: 1e-6 }

/** The best single λ for the whole volume, used to start the iterations. */
function globalLambda(paths: PathMatrix, obs: MuonObservations): number {
  let lam = COLD_START.lambda
  const mix = obs.mix, scratch = new Float64Array(3 + (mix?.q ?? 0))
  for (let it = 0; it < COLD_START.iterations; it++) {
    let num = 0
    let den = 0
    for (let i = 0; i < paths.nMuons; i++) {
      const w = obs.w[i]
      const L = paths.total[i]
      if (!(w > 0) || !(L > 0)) continue
      const t = L * lam
      if (mix) {
        mixtureUpdate(obs.m[i], obs.e[i], highlandG(t), mix.c, i * mix.q, mix.q, TAIL_WEIGHT, scratch)
        const a = w * scratch[0] * highlandGPrime(t) * L
        num += a * scratch[1]
        den += a * scratch[2]
        continue
      }
      const s = obs.c[i] * highlandG(t) + obs.e[i]
      const a = w * coreProbability(obs.m[i], s) * obs.c[i] * highlandGPrime(t) * L
      num += (a * obs.m[i]) / (s * s)
      den += a / s
    }
    if (!(den > 0)) return lam
    const next = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, (lam * num) / den))
    if (Math.abs(next - lam) < COLD_START.tolerance * lam) return next
    lam = next
  }
  return lam
}

/** per voxel: Σ w·L over its entries (EmResult.coverage) */
export function coverageOf(paths: PathMatrix, w: ArrayLike<number>): Float64Array {
  const coverage = new Float64Array(paths.nVoxels)
  for (let k = 0; k < paths.nnz; k++) {
    const wk = w[paths.muon[k]]
    if (wk > 0) coverage[paths.voxel[k]] += wk * paths.length[k]
  }
  return coverage
}

/** what a solve starts from (on the CPU or the GPU): λ, the iterations and when to refresh. With
 *  `coldOnGpu`, a cold start's first refresh and best single λ are left to the GPU (gpu/em-start.ts), and λ is
 *  COLD_START's until then. */
export function emStart(paths: PathMatrix | ResidentPaths, obs: MuonObservations, opts: EmOptions, coldOnGpu = false) {
  const V = paths.nVoxels
  let lambda: Float64Array
  if (opts.init) lambda = Float64Array.from(opts.init)
  else if (coldOnGpu) lambda = new Float64Array(V).fill(COLD_START.lambda)
  else {
    // a matrix left on the GPU (gpu/path-resident.ts) starts warm or by the GPU's cold start
    if (!('total' in paths)) throw new Error('a cold start on the CPU needs the path matrix there')
    // start the momentum model from 10 cm radiation lengths, then from the best uniform density
    opts.refresh?.(new Float64Array(V).fill(COLD_START.lambda))
    lambda = new Float64Array(V).fill(globalLambda(paths, obs))
  }
  return {
    lambda, iterations: opts.iterations ?? 40,
    refreshOn: opts.refreshOn ?? (opts.init ? warmRefreshAt : refreshAt),
  }
}

export function solveScatteringDensity(paths: PathMatrix, obs: MuonObservations, opts: EmOptions = {}): EmResult {
  const V = paths.nVoxels
  const N = paths.nMuons
  const { lambda, iterations, refreshOn } = emStart(paths, obs, opts)
  const coverage = coverageOf(paths, obs.w)
  const job = emJob(paths, obs, lambda)
  const muonBlocks = blockCount(N, EM_MUON_BLOCK), voxelBlocks = blockCount(V, EM_VOXEL_BLOCK)
  let eps = TAIL_WEIGHT
  const extra = opts.absorption ? { absPos: outFloat64(V), absNeg: outFloat64(V) } : {}
  for (let it = 0; it < iterations; it++) {
    if (opts.refresh && refreshOn(it)) {
      opts.refresh(lambda)
      job.c.set(obs.c)
      job.e.set(obs.e)
      if (obs.mix) job.mixC.set(obs.mix.c)
    }
    runBlocks('em-muons', emMuonBlock, { ...job, eps }, muonBlocks)
    let sw = 0, sTail = 0
    for (let b = 0; b < muonBlocks; b++) { sw += job.partial[2 * b]; sTail += job.partial[2 * b + 1] }
    if (sw > 0) eps = Math.min(TAIL_WEIGHT_RANGE[1], Math.max(TAIL_WEIGHT_RANGE[0], sTail / sw))
    if (opts.absorption && extra.absPos && extra.absNeg) {
      const g = opts.absorption(lambda)
      for (let j = 0; j < V; j++) {
        extra.absPos[j] = g.pos[j] + g.curvature[j]
        extra.absNeg[j] = g.neg[j] + g.curvature[j]
      }
    }
    runBlocks('em-voxels', emVoxelBlock, { ...job, eps, ...extra }, voxelBlocks)
    lambda.set(job.lambda)
  }
  const weight = Float64Array.from(job.weight)
  return { lambda, coverage, iterations, c: Float64Array.from(obs.c), e: Float64Array.from(obs.e), weight }
}

/** X0 = 1/λ; voxels without information get NaN. */
export function x0FromLambda(res: EmResult): Float64Array {
  const out = new Float64Array(res.lambda.length)
  for (let j = 0; j < out.length; j++) out[j] = res.coverage[j] > 0 ? 1 / res.lambda[j] : NaN
  return out
}
