// Hits of the muons on the panels of one stack, on the tape (docs/design-file.md, `detector`).
// Layout: panel-major [K, N] (K panels of the stack, N muons), so per-panel constants broadcast as [K, 1],
// per-muon quantities as [1, N], and the reductions over muons in the parameter gradients run along the
// contiguous axis.
//
// For muon i and panel k at height z_k, the true crossing of the straight line x(z) = x_i + t_i (z − z_ref)
// (the incoming line for 'above' panels, the outgoing one for 'below') is x_i + t_i (z_k − z_ref); z_k is a
// tensor, so the gradient reaches it. The measured hit adds σ_k·ε_ik with ε ~ N(0, 1) drawn once per muon and
// panel outside the tape and passed in, so the gradient is pathwise (reparameterised). Per hit:
//   fit weight  a_ik/σ_k², returned as a_ik·(σ_ref/σ_k)², i.e. in units of 1/σ_ref² (σ_ref = smallest σ of the
//               stack): the raw 1/σ² (1e8 m⁻² at 100 µm) squared in the fit would overflow float32 gradients;
//   detection probability  eff_k·a_ik, or, when the hits that fired are given (`present`, drawn at the panel's
//               efficiency), present_ik·a_ik, and the hits that did not fire leave the fit (weight 0).
// Optional `kicks`: the scattering in the panels' own material (panel-material.ts); the crossings it displaces are
// added to the noise, as functions of the panel heights.
import type { Rng } from '../core/rng'
import { tf } from '../core/tensor'
import { kickShifts, type PanelLayout } from './panel-material'
import { panelMajorPairs } from './panel-major'
import { panelAcceptance, type AcceptanceMode, type PanelParams, type StackName } from './panels'

/** A straight line per muon through the plane z = zRef: x(z) = x + tx·(z − zRef). Tensors [1, N]. */
export type LineTensors = {
  x: tf.Tensor2D
  y: tf.Tensor2D
  tx: tf.Tensor2D
  ty: tf.Tensor2D
}

export type StackHits = {
  stack: StackName
  /** the line the hits lie on (before noise), [1, N] tensors at zRef (owned by the caller) */
  line: LineTensors
  /** design indices of the K panels of this stack */
  panelIndex: number[]
  /** number of muons */
  n: number
  zRef: number
  /** panel heights [K, 1] (on the tape) */
  z: tf.Tensor2D
  /** true crossing points [K, N] */
  trueX: tf.Tensor2D
  trueY: tf.Tensor2D
  /** hit noise σ_k·ε_ik [K, N] plus the panels' scattering: the measured hit is true + noise (see measuredHits) */
  noiseX: tf.Tensor2D
  noiseY: tf.Tensor2D
  /** acceptance a ∈ [0, 1], [K, N] */
  acceptance: tf.Tensor2D
  /** fit weight a/σ² in units of 1/sigmaRef², [K, N] */
  fitWeight: tf.Tensor2D
  sigmaRef: number
  /** detection probability eff·a, [K, N] */
  detProb: tf.Tensor2D
}

export interface HitOptions {
  mode: AcceptanceMode
  smoothness: number
  /** 1 where panel p registered muon i, [N, P] (muon-major); absent: efficiency as a probability */
  present?: Float32Array
  /** the kicks of the panels' own scattering, slope units, [N, P, 2] like the noise, and the panels' order */
  kicks?: { layout: PanelLayout; kicks: Float32Array }
}

/** Standard-normal hit noise [N, P, 2] (muon-major, then panel in design order, then x/y). */
export function drawHitNoise(n: number, nPanels: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * nPanels * 2)
  rng.fillNormal(out)
  return out
}

/** one-hot [K, P] selecting the stack's panels: gathers by matMul, whose gradient every backend has */
function selection(idx: number[], P: number): tf.Tensor2D {
  const m = new Float32Array(idx.length * P)
  idx.forEach((p, k) => { m[k * P + p] = 1 })
  return tf.tensor2d(m, [idx.length, P])
}

/** The constant parts of one stack's hits, [K, N] each in the stack's panel order: made from the simulation's
 *  arrays (stackInputs) or, on webgpu, from its buffers where they lie (gpu/reco-inputs.ts). */
export interface StackInputs {
  /** hit noise σ_k·ε_ik */
  noiseX: tf.Tensor2D
  noiseY: tf.Tensor2D
  /** 1 where the panel registered the muon; null: the efficiency as a probability */
  fired: tf.Tensor2D | null
  /** the panels' kicks (slope units) with the panels' order, null when the panels have no material */
  kicks: { layout: PanelLayout; x: tf.Tensor2D; y: tf.Tensor2D } | null
}

/** what the stacks' inputs need of the panels: their number, resolutions and stacks */
export type StackPanels = Pick<PanelParams, 'n' | 'sigmaValues' | 'indicesOf'>

/** StackInputs of the N muons from the simulation's arrays (noise [N, P, 2], opts' present and kicks); fresh tensors */
export function stackInputs(panels: StackPanels, stack: StackName, N: number, noise: Float32Array, opts: Pick<HitOptions, 'present' | 'kicks'>): StackInputs {
  const idx = panels.indicesOf(stack)
  const K = idx.length
  const P = panels.n
  if (noise.length !== N * P * 2) throw new Error(`noise must hold N·P·2 = ${N * P * 2} values, got ${noise.length}`)
  const [offX, offY] = panelMajorPairs(noise, N, P, idx, idx.map((p) => panels.sigmaValues[p]))
  let fired: tf.Tensor2D | null = null
  if (opts.present) {
    if (opts.present.length !== N * P) throw new Error(`present must hold N·P = ${N * P} values, got ${opts.present.length}`)
    const f = new Float32Array(K * N)
    for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) f[k * N + i] = opts.present[i * P + idx[k]]
    fired = tf.tensor2d(f, [K, N])
  }
  let kicks: StackInputs['kicks'] = null
  if (opts.kicks) {
    const [dx, dy] = panelMajorPairs(opts.kicks.kicks, N, P, idx)
    kicks = { layout: opts.kicks.layout, x: tf.tensor2d(dx, [K, N]), y: tf.tensor2d(dy, [K, N]) }
  }
  return { noiseX: tf.tensor2d(offX, [K, N]), noiseY: tf.tensor2d(offY, [K, N]), fired, kicks }
}

/**
 * Hits of the muons on the panels of `stack`. `line` is the incoming (above) or outgoing (below) line at zRef;
 * `noise` is [N, P, 2] over all P panels. Call inside tf.tidy / variableGrads; returns fresh tensors.
 */
export function computeStackHits(
  panels: PanelParams, stack: StackName, line: LineTensors, zRef: number, noise: Float32Array, opts: HitOptions,
): StackHits {
  return tf.tidy(() => stackHits(panels, stack, line, zRef, stackInputs(panels, stack, line.x.shape[1], noise, opts), opts) as unknown as tf.TensorContainerObject) as unknown as StackHits
}

/** computeStackHits from the stack's inputs as tensors (the caller's: they may be returned as the hits' noise) */
export function stackHits(
  panels: PanelParams, stack: StackName, line: LineTensors, zRef: number, inputs: StackInputs, opts: Pick<HitOptions, 'mode' | 'smoothness'>,
): StackHits {
  const idx = panels.indicesOf(stack)
  const K = idx.length
  const N = line.x.shape[1]
  const P = panels.n
  if (K === 0) throw new Error(`no panels in stack "${stack}"`)
  if (inputs.noiseX.shape[0] !== K || inputs.noiseX.shape[1] !== N) throw new Error(`the stack's noise is [${inputs.noiseX.shape}], not [${K}, ${N}]`)
  let sigmaRef = Infinity
  for (const p of idx) sigmaRef = Math.min(sigmaRef, panels.sigmaValues[p])
  const wn = idx.map((p) => (sigmaRef / panels.sigmaValues[p]) ** 2)
  const eff = idx.map((p) => panels.efficiencyValues[p])
  const { fired } = inputs

  return tf.tidy(() => {
    const sel = selection(idx, P)
    const z = tf.matMul(sel, tf.reshape(panels.z, [P, 1])) as tf.Tensor2D // [K,1]
    const xy = tf.matMul(sel, panels.xy) // [K,2]
    const half = tf.mul(tf.matMul(sel, panels.span), 0.5) // [K,2]
    const [cx, cy] = tf.split(xy, 2, 1)
    const [hx, hy] = tf.split(half, 2, 1)
    const dz = tf.sub(z, zRef)
    const trueX = tf.add(line.x, tf.mul(line.tx, dz)) as tf.Tensor2D
    const trueY = tf.add(line.y, tf.mul(line.ty, dz)) as tf.Tensor2D
    let { noiseX, noiseY } = inputs
    if (inputs.kicks) {
      const [sx, sy] = kickShifts(inputs.kicks.layout, idx, z, inputs.kicks.x, inputs.kicks.y)
      noiseX = tf.add(noiseX, sx) as tf.Tensor2D
      noiseY = tf.add(noiseY, sy) as tf.Tensor2D
    }
    const acceptance = panelAcceptance(tf.sub(trueX, cx), tf.sub(trueY, cy), hx, hy, opts.mode, opts.smoothness) as tf.Tensor2D
    // (the same tensor as the acceptance where all factors are 1; disposing it twice is harmless)
    const seen = fired ? tf.mul(acceptance, fired) as tf.Tensor2D : acceptance
    const fitWeight = (wn.every((v) => v === 1) ? seen : tf.mul(seen, tf.tensor2d(wn, [K, 1]))) as tf.Tensor2D
    const detProb = (fired || eff.every((v) => v === 1) ? seen : tf.mul(acceptance, tf.tensor2d(eff, [K, 1]))) as tf.Tensor2D
    return {
      stack, line, panelIndex: idx, n: N, zRef, z, trueX, trueY, noiseX, noiseY, acceptance, fitWeight, sigmaRef, detProb,
    } as unknown as tf.TensorContainerObject
  }) as unknown as StackHits
}

/** The measured hit positions true + σ·ε, [K, N] each (fresh tensors; for tests and debugging). */
export function measuredHits(h: StackHits): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return { x: tf.add(h.trueX, h.noiseX) as tf.Tensor2D, y: tf.add(h.trueY, h.noiseY) as tf.Tensor2D }
}

/** Release the tensors made by computeStackHits (not the line, which belongs to the caller). */
export function disposeStackHits(h: StackHits): void {
  tf.dispose([h.z, h.trueX, h.trueY, h.noiseX, h.noiseY, h.acceptance, h.fitWeight, h.detProb])
}
