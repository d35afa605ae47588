// Straight-line track fits above and below the passive volume, in closed form on the tape (docs/physics-inference.md,
// "Tracks"): closed-form covariances, no per-muon autograd Jacobians.
//
// Per muon and stack, weighted least squares of x(z) = x_c + t (z − c) to the hits x_k at heights z_k with
// weights w_k = a_k/σ_k² (acceptance over variance). With ζ_k = z_k − c and the sums
//   S = Σw, Sz = Σwζ, Szz = Σwζ², Sx = Σw x, Sxz = Σw x ζ,   Δ = S·Szz − Sz²,
// the solution and its covariance (the inverse of the normal matrix [[S, Sz], [Sz, Szz]]) are
//   x_c = (Szz·Sx − Sz·Sxz)/Δ,  t = (S·Sxz − Sz·Sx)/Δ,  var(x_c) = Szz/Δ,  var(t) = S/Δ,  cov(x_c, t) = −Sz/Δ.
// The same weights serve x and y (a panel's σ is the same in both), so one covariance serves both projections.
// Numerics (float32):
//  - c is the mean of the stack's panel heights (the fitted line does not depend on the choice of c), so
//    Δ does not lose digits to Sz² ≈ S·Szz when the panels sit far from the reference plane;
//  - weights are in units of 1/σ_ref² (see hits.ts) and the covariance is scaled back by σ_ref²;
//  - a weak Gaussian prior, ρ = 1e-7 of one hit at σ_ref on x_c and on t (with a 1 m lever arm), is added to S
//    and Szz: it shrinks a real fit by ρ/S (x_c) and ρ/Σw(ζ − ζ̄)² (t), ~1e-8 and ~2e-6 for four panels 10 cm
//    apart, and gives a muon with no (or one) hit finite numbers with a very large variance instead of 0/0.
//    Δ is floored at its exact lower bound ρ(S + Szz) + ρ² so that round-off cannot make it ≤ 0.
// The line and covariance are then moved from c to the reference plane z_ref (volume top for the incoming
// track, bottom for the outgoing): x = x_c + δ t, var(x) = var(x_c) + 2δ cov + δ² var(t), cov(x, t) = cov + δ var(t),
// δ = z_ref − c.
//
// Detection weight: P(≥2 hits above)·P(≥2 hits below) from the per-panel probabilities p_k = eff_k·a_k,
// by the exact recursion over panels for the probabilities of 0, 1 and ≥ 2 hits:
//   r2 ← r2 + r1 p,  r1 ← r1 (1 − p) + r0 p,  r0 ← r0 (1 − p);
// it equals 1 − Π(1−p_k) − Σ_k p_k Π_{l≠k}(1−p_l) but only adds non-negative terms (no cancellation when the
// result is small, no division by 1 − p_k when p_k = 1).
import { readBack, tf } from '../core/tensor'
import { stackHits, stackInputs, type HitOptions, type LineTensors, type StackHits, type StackInputs, type StackPanels } from './hits'
import type { AcceptanceMode, PanelParams } from './panels'
import type { MuonTracks } from './types'

export const DEFAULT_FIT_REGULARISER = 1e-7

/** A fitted line per muon at zRef: x(z) = x + tx (z − zRef), tensors [N]; var/cov shared by x and y. */
export type LineFit = {
  x: tf.Tensor1D
  y: tf.Tensor1D
  tx: tf.Tensor1D
  ty: tf.Tensor1D
  varX: tf.Tensor1D
  varT: tf.Tensor1D
  covXT: tf.Tensor1D
}

/** Reconstructed muons: incoming line at zIn, outgoing line at zOut, their covariances, detection weight. */
export type Reco = {
  n: number
  zIn: number
  zOut: number
  inX: tf.Tensor1D
  inY: tf.Tensor1D
  inTx: tf.Tensor1D
  inTy: tf.Tensor1D
  outX: tf.Tensor1D
  outY: tf.Tensor1D
  outTx: tf.Tensor1D
  outTy: tf.Tensor1D
  varInX: tf.Tensor1D
  varInT: tf.Tensor1D
  covInXT: tf.Tensor1D
  varOutX: tf.Tensor1D
  varOutT: tf.Tensor1D
  covOutXT: tf.Tensor1D
  /** P(≥2 hits above)·P(≥2 hits below), 0 for muons that stopped */
  weight: tf.Tensor1D
}

export const RECO_TENSOR_KEYS = [
  'inX', 'inY', 'inTx', 'inTy', 'outX', 'outY', 'outTx', 'outTy',
  'varInX', 'varInT', 'covInXT', 'varOutX', 'varOutT', 'covOutXT', 'weight',
] as const
export type RecoTensorKey = (typeof RECO_TENSOR_KEYS)[number]

export interface FitOptions {
  /** prior weight in units of one hit at the stack's best σ (default 1e-7) */
  regulariser?: number
}

/**
 * out[i] = Σ_k row[k]·m[k, i] for row [1, K], m [K, N] → [N]. Forward as a [1,K]×[K,N] product; the gradient
 * with respect to m is the broadcast outer product rowᵀ·dy (on wasm ~10× faster than matMul's own gradient,
 * and far faster than sum(·, 0) or slicing rows, which copy the whole input there).
 */
export function rowReduce(row: tf.Tensor, m: tf.Tensor): tf.Tensor1D {
  const K = m.shape[0]
  const f = tf.customGrad(((r: tf.Tensor, mm: tf.Tensor, save: tf.GradSaveFunc) => {
    save([r, mm])
    return {
      value: tf.reshape(tf.matMul(r as tf.Tensor2D, mm as tf.Tensor2D), [-1]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [rs, ms] = saved
        const dy2 = tf.reshape(dy, [1, -1])
        return [tf.matMul(dy2, ms as tf.Tensor2D, false, true), tf.mul(tf.reshape(rs, [K, 1]), dy2)]
      },
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0])
  return f(tf.reshape(row, [1, K]), m) as tf.Tensor1D
}

/** rowReduce with constant weights (plain numbers): no gradient is computed for the row. */
export function rowReduceConst(row: ArrayLike<number>, m: tf.Tensor): tf.Tensor1D {
  const K = m.shape[0]
  if (row.length !== K) throw new Error(`row has ${row.length} weights for ${K} rows`)
  const vals = Float32Array.from(row)
  const f = tf.customGrad(((mm: tf.Tensor, save: tf.GradSaveFunc) => {
    save([])
    return {
      value: tf.reshape(tf.matMul(tf.tensor2d(vals, [1, K]), mm as tf.Tensor2D), [-1]),
      gradFunc: (dy: tf.Tensor) => tf.mul(tf.tensor2d(vals, [K, 1]), tf.reshape(dy, [1, -1])),
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0])
  return f(m) as tf.Tensor1D
}

/**
 * Weighted least squares of the points (z_k, x_ik), (z_k, y_ik) with weights w_ik (in units of 1/σ_ref²) for
 * every muon i: the line x(z) = x + tx (z − zRef) and its covariance (scaled by sigmaRef²). w, x, y: [K, N];
 * z: panel heights [K, 1] (tensor, on the tape). Closed form, module comment.
 */
export function weightedLineFit(
  w: tf.Tensor, z: tf.Tensor, x: tf.Tensor, y: tf.Tensor, zRef: number, sigmaRef: number, opts: FitOptions = {},
): LineFit {
  const rho = opts.regulariser ?? DEFAULT_FIT_REGULARISER
  const K = w.shape[0]
  const s2 = sigmaRef * sigmaRef
  return tf.tidy(() => {
    // c = mean panel height, kept as a tensor (no read-back, which would stall a GPU backend); the fitted line
    // does not depend on c, so its gradient through c is zero up to round-off
    const c = tf.mean(z)
    const delta = tf.sub(zRef, c)
    const zr = tf.reshape(tf.sub(z, c), [1, K])
    const one = new Float32Array(K).fill(1)
    const wx = tf.mul(w, x), wy = tf.mul(w, y)
    const S0 = rowReduceConst(one, w), Sz = rowReduce(zr, w), Szz0 = rowReduce(tf.square(zr), w)
    const Sx = rowReduceConst(one, wx), Sxz = rowReduce(zr, wx)
    const Sy = rowReduceConst(one, wy), Syz = rowReduce(zr, wy)
    const S = tf.add(S0, rho)
    const Szz = tf.add(Szz0, rho)
    const floor = tf.add(tf.mul(tf.add(S0, Szz0), rho), rho * rho)
    const det = tf.maximum(tf.sub(tf.mul(S, Szz), tf.square(Sz)), floor)
    const inv = tf.reciprocal(det)
    const solve = (Su: tf.Tensor, Suz: tf.Tensor) => {
      const xc = tf.mul(tf.sub(tf.mul(Szz, Su), tf.mul(Sz, Suz)), inv)
      const t = tf.mul(tf.sub(tf.mul(S, Suz), tf.mul(Sz, Su)), inv)
      return { x: tf.add(xc, tf.mul(t, delta)), t }
    }
    const fx = solve(Sx, Sxz)
    const fy = solve(Sy, Syz)
    const varXc = tf.mul(Szz, inv)
    const varT = tf.mul(tf.mul(S, inv), s2)
    const covC = tf.neg(tf.mul(Sz, inv))
    // var(x) = σ²[varXc + 2δ cov + δ² varT], cov(x,t) = σ²[cov + δ varT] (varT already carries σ²)
    const varX = tf.add(tf.mul(tf.add(varXc, tf.mul(covC, tf.mul(delta, 2))), s2), tf.mul(varT, tf.square(delta)))
    const covXT = tf.add(tf.mul(covC, s2), tf.mul(varT, delta))
    return { x: fx.x, y: fy.x, tx: fx.t, ty: fy.t, varX, varT, covXT } as unknown as tf.TensorContainerObject
  }) as unknown as LineFit
}

/**
 * The track fit of one stack's hits, at hits.zRef. The hits are true + noise with the true points exactly on
 * the muon's line, and the least-squares fit is linear in the hits and returns any straight line unchanged, so
 *   fit(hits) = line + fit(noise)
 * exactly (up to the ~1e-7 regulariser). We evaluate the right-hand side: the same numbers as fitting the
 * measured hits, with fewer operations on the tape and without float32 round-off from metre-sized coordinates.
 * (One consequence: a muon with no hits comes back as its true line with a huge variance, not as an arbitrary
 * line; its weight is 0, and it must not be used.)
 */
export function fitStack(hits: StackHits, opts: FitOptions = {}): LineFit {
  return tf.tidy(() => {
    const f = weightedLineFit(hits.fitWeight, hits.z, hits.noiseX, hits.noiseY, hits.zRef, hits.sigmaRef, opts)
    const L = hits.line
    const r = (t: tf.Tensor) => tf.reshape(t, [-1])
    return {
      ...f, x: tf.add(r(L.x), f.x), y: tf.add(r(L.y), f.y), tx: tf.add(r(L.tx), f.tx), ty: tf.add(r(L.ty), f.ty),
    } as unknown as tf.TensorContainerObject
  }) as unknown as LineFit
}

/**
 * P(at least 2 of K independent hits) per muon → [N], from per-panel probabilities: a [K, N] tensor, or its K
 * rows (each [N] or [1, N]).
 */
export function probAtLeastTwo(p: tf.Tensor2D | tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => {
    let rows: tf.Tensor[]
    if (Array.isArray(p)) rows = p.map((r) => tf.reshape(r, [-1]))
    else {
      // rows by one-hot matMul: Slice/Unpack are slow on wasm
      const K = p.shape[0]
      rows = []
      for (let k = 0; k < K; k++) {
        const e = new Float32Array(K); e[k] = 1
        rows.push(rowReduceConst(e, p))
      }
    }
    if (rows.length < 2) return tf.zerosLike(rows[0] ?? tf.zeros([0])) as tf.Tensor1D
    let r0: tf.Tensor = tf.sub(1, rows[0])
    let r1: tf.Tensor = rows[0]
    let r2: tf.Tensor | null = null
    for (let k = 1; k < rows.length; k++) {
      const pk = rows[k]
      const qk = tf.sub(1, pk)
      const add = tf.mul(r1, pk)
      r2 = r2 === null ? add : tf.add(r2, add)
      if (k === rows.length - 1) break
      r1 = tf.add(tf.mul(r1, qk), tf.mul(r0, pk))
      r0 = tf.mul(r0, qk)
    }
    return r2 as tf.Tensor1D
  })
}

/** Plain entry/exit lines at the reference planes, sanitised (muons that stopped or are not finite: alive 0). */
export interface ReferenceLines {
  n: number
  zIn: number
  zOut: number
  inX: Float32Array; inY: Float32Array; inTx: Float32Array; inTy: Float32Array
  outX: Float32Array; outY: Float32Array; outTx: Float32Array; outTy: Float32Array
  alive: Float32Array
}

/** slope of a direction; |uz| below this counts as horizontal (not reconstructable) */
const MIN_UZ = 1e-6

export function referenceLines(t: MuonTracks, zIn: number, zOut: number): ReferenceLines {
  const n = t.n
  const f = () => new Float32Array(n)
  const L: ReferenceLines = {
    n, zIn, zOut, inX: f(), inY: f(), inTx: f(), inTy: f(), outX: f(), outY: f(), outTx: f(), outTy: f(), alive: f(),
  }
  for (let i = 0; i < n; i++) {
    if (!t.alive[i] || !(Math.abs(t.uzin[i]) > MIN_UZ) || !(Math.abs(t.uzout[i]) > MIN_UZ)) continue
    const itx = t.uxin[i] / t.uzin[i], ity = t.uyin[i] / t.uzin[i]
    const otx = t.uxout[i] / t.uzout[i], oty = t.uyout[i] / t.uzout[i]
    const ix = t.xin[i] + itx * (zIn - t.zin[i]), iy = t.yin[i] + ity * (zIn - t.zin[i])
    const ox = t.xout[i] + otx * (zOut - t.zout[i]), oy = t.yout[i] + oty * (zOut - t.zout[i])
    if (!Number.isFinite(itx + ity + otx + oty + ix + iy + ox + oy)) continue // finite iff all are
    L.inX[i] = ix; L.inY[i] = iy; L.inTx[i] = itx; L.inTy[i] = ity
    L.outX[i] = ox; L.outY[i] = oy; L.outTx[i] = otx; L.outTy[i] = oty
    L.alive[i] = 1
  }
  return L
}

export interface ReconstructOptions extends FitOptions {
  mode: AcceptanceMode
  /** smoothness s of the training acceptance (ignored in hard mode) */
  smoothness: number
  /** reference plane of the incoming track (volume top) and of the outgoing one (volume bottom) */
  zIn: number
  zOut: number
  /** hits that fired and the panels' scattering kicks (hits.ts) */
  present?: Float32Array
  kicks?: HitOptions['kicks']
}

/**
 * Hits → fits → detection weight for all muons, on the tape (differentiable in the panel variables).
 * noise: N(0,1) draws [N, P, 2] (muon, panel in design order, x/y). Returns fresh tensors; dispose with
 * disposeReco (or tf.dispose). Works inside tf.tidy / tf.variableGrads.
 */
export function reconstruct(tracks: MuonTracks, panels: PanelParams, noise: Float32Array, opts: ReconstructOptions): Reco {
  return reconstructLines(referenceLines(tracks, opts.zIn, opts.zOut), panels, noise, opts)
}

export function reconstructLines(L: ReferenceLines, panels: PanelParams, noise: Float32Array, opts: ReconstructOptions): Reco {
  const out = tf.tidy(() => reconstructInputs(recoInputs(L, panels, noise, opts), panels, opts) as unknown as tf.TensorContainerObject)
  return out as unknown as Reco
}

/** The reconstruction's constant inputs as tensors: the true lines at the reference planes ([1, N] each), which
 *  muons can be reconstructed ([N], 0 or 1) and each stack's hit inputs (hits.ts StackInputs). */
export interface RecoInputs {
  lineIn: LineTensors
  lineOut: LineTensors
  alive: tf.Tensor1D
  above: StackInputs
  below: StackInputs
}

/** RecoInputs from the reference lines and the simulation's arrays; fresh tensors */
export function recoInputs(L: ReferenceLines, panels: StackPanels, noise: Float32Array, opts: Pick<ReconstructOptions, 'present' | 'kicks'>): RecoInputs {
  const N = L.n
  const t2 = (a: Float32Array) => tf.tensor2d(a, [1, N])
  return {
    lineIn: { x: t2(L.inX), y: t2(L.inY), tx: t2(L.inTx), ty: t2(L.inTy) },
    lineOut: { x: t2(L.outX), y: t2(L.outY), tx: t2(L.outTx), ty: t2(L.outTy) },
    alive: tf.tensor1d(L.alive),
    above: stackInputs(panels, 'above', N, noise, opts),
    below: stackInputs(panels, 'below', N, noise, opts),
  }
}

/** Hits → fits → detection weight from the inputs as tensors (the caller's). Call inside tf.tidy / variableGrads. */
export function reconstructInputs(inputs: RecoInputs, panels: PanelParams, opts: ReconstructOptions): Reco {
  const N = inputs.alive.shape[0]
  const hitOpts = { mode: opts.mode, smoothness: opts.smoothness }
  const hIn = stackHits(panels, 'above', inputs.lineIn, opts.zIn, inputs.above, hitOpts)
  const hOut = stackHits(panels, 'below', inputs.lineOut, opts.zOut, inputs.below, hitOpts)
  const fi = fitStack(hIn, opts)
  const fo = fitStack(hOut, opts)
  const weight = tf.mul(tf.mul(probAtLeastTwo(hIn.detProb), probAtLeastTwo(hOut.detProb)), inputs.alive) as tf.Tensor1D
  return {
    n: N, zIn: opts.zIn, zOut: opts.zOut,
    inX: fi.x, inY: fi.y, inTx: fi.tx, inTy: fi.ty, outX: fo.x, outY: fo.y, outTx: fo.tx, outTy: fo.ty,
    varInX: fi.varX, varInT: fi.varT, covInXT: fi.covXT, varOutX: fo.varX, varOutT: fo.varT, covOutXT: fo.covXT,
    weight,
  }
}

export function disposeReco(reco: Reco): void {
  tf.dispose(RECO_TENSOR_KEYS.map((k) => reco[k]))
}

/** Read a Reco back as plain arrays (for debugging, exports and the gradient-free stages). */
export async function recoToArrays(reco: Reco): Promise<{ n: number; zIn: number; zOut: number } & Record<RecoTensorKey, Float32Array>> {
  const out = { n: reco.n, zIn: reco.zIn, zOut: reco.zOut } as { n: number; zIn: number; zOut: number } & Record<RecoTensorKey, Float32Array>
  const arrays = await readBack(RECO_TENSOR_KEYS.map((k) => reco[k]))
  RECO_TENSOR_KEYS.forEach((k, i) => { out[k] = arrays[i] })
  return out
}
