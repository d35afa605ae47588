// Detector panels as trainable tensors (after the panel model of TomOpt, arXiv:2309.14027, re-derived here):
// infinitely thin rectangles with a learnable centre (x, y, z) and span (w_x, w_y), a hit resolution σ,
// an efficiency and a cost per m². Variables are grouped for the optimiser: xy [P,2], z [P], span [P,2].
//
// Acceptance of a panel for a muon that crosses its plane at offset Δ from the centre (per axis):
//  - hard (evaluation, the physical panel):  1 if |Δx| < w_x/2 and |Δy| < w_y/2, else 0 (the edge itself,
//    a set of measure zero, counts as outside);
//  - smooth (training), the two-sided sigmoid form, normalised to 1 at the centre:
//        A(Δ; w, s) = σ((w/2 + Δ)/(s·w/2)) · σ((w/2 − Δ)/(s·w/2)) / σ(1/s)²
//    and the product of the x and y factors. We use this form rather than TomOpt's σ((1 − |Δ|/(w/2))/s)/σ(1/s)
//    because it has no kink at Δ = 0 (no |Δ|, no ε to pick) and needs no clipping: log σ is concave, so the
//    product is log-concave and symmetric, hence largest (= 1 exactly) at Δ = 0. At the edge it is
//    σ(2/s)·½/σ(1/s)² ≈ ½, and outside it falls as σ(−d/(s·w/2)) with d the distance past the edge — the same
//    edge value and tail as the one-sided form. s is the smoothness, annealed by the optimiser (s → 0: hard).
import { tf } from '../core/tensor'
import type { MuographyDesign, Technology } from '../design/muography'

type Detector = MuographyDesign['detector']

export type StackName = 'above' | 'below'
export type AcceptanceMode = 'smooth' | 'hard'

/** Plain-number panel geometry, for snapshots, exports and drags (same shape as the session's PanelState). */
export interface PanelState {
  id: string
  stack: StackName
  x: number
  y: number
  z: number
  span_x: number
  span_y: number
}

/** A geometry update; matched by id when given, else by position in the list. */
export type PanelGeometry = Partial<Pick<PanelState, 'id'>> & Pick<PanelState, 'x' | 'y' | 'z' | 'span_x' | 'span_y'>

export class PanelParams {
  /** number of panels P */
  readonly n: number
  readonly ids: string[]
  /** 0 = above the volume, 1 = below, per panel */
  readonly stackIndex: Int32Array
  /** hit resolution σ (m), efficiency and cost per m², per panel, as plain numbers */
  readonly sigmaValues: Float32Array
  readonly efficiencyValues: Float32Array
  readonly costValues: Float32Array
  /** the same constants as tensors [P] (kept; released by dispose()) */
  readonly sigma: tf.Tensor1D
  readonly efficiency: tf.Tensor1D
  readonly costPerM2: tf.Tensor1D
  /** trainable: panel centres [P,2] (x, y), heights [P], spans [P,2] (w_x, w_y), metres */
  readonly xy: tf.Variable<tf.Rank.R2>
  readonly z: tf.Variable<tf.Rank.R1>
  readonly span: tf.Variable<tf.Rank.R2>
  /** host copy of the variables (float32, as stored), so reading the geometry needs no device read-back */
  private host: { xy: Float32Array; z: Float32Array; span: Float32Array }
  private readonly overrides: (Technology | undefined)[]

  constructor(detector: Detector) {
    const panels = detector.panels
    const P = panels.length
    this.n = P
    this.ids = panels.map((p) => p.id)
    this.stackIndex = Int32Array.from(panels, (p) => (p.stack === 'above' ? 0 : 1))
    this.overrides = panels.map((p) => p.technology)
    const tech = (i: number): Technology => panels[i].technology ?? detector.technology
    this.sigmaValues = Float32Array.from(panels, (_, i) => tech(i).resolution)
    this.efficiencyValues = Float32Array.from(panels, (_, i) => tech(i).efficiency)
    this.costValues = Float32Array.from(panels, (_, i) => tech(i).cost_per_m2)
    this.sigma = tf.keep(tf.tensor1d(this.sigmaValues))
    this.efficiency = tf.keep(tf.tensor1d(this.efficiencyValues))
    this.costPerM2 = tf.keep(tf.tensor1d(this.costValues))
    const xy = new Float32Array(2 * P), z = new Float32Array(P), span = new Float32Array(2 * P)
    panels.forEach((p, i) => {
      xy[2 * i] = p.x; xy[2 * i + 1] = p.y; z[i] = p.z; span[2 * i] = p.span_x; span[2 * i + 1] = p.span_y
    })
    // a variable shares its initial tensor's data; dispose the initial tensors so dispose() frees everything
    const variable = <R extends tf.Rank>(init: tf.Tensor<R>): tf.Variable<R> => {
      const v = tf.variable(init, true)
      init.dispose()
      return v
    }
    this.host = { xy, z, span }
    this.xy = variable(tf.tensor2d(xy, [P, 2]))
    this.z = variable(tf.tensor1d(z))
    this.span = variable(tf.tensor2d(span, [P, 2]))
  }

  /** the optimiser's groups */
  get variables(): { xy: tf.Variable<tf.Rank.R2>; z: tf.Variable<tf.Rank.R1>; span: tf.Variable<tf.Rank.R2> } {
    return { xy: this.xy, z: this.z, span: this.span }
  }

  get variableList(): tf.Variable[] {
    return [this.xy, this.z, this.span]
  }

  /** indices of the panels in one stack, in design order */
  indicesOf(stack: StackName): number[] {
    const s = stack === 'above' ? 0 : 1
    const out: number[] = []
    for (let i = 0; i < this.n; i++) if (this.stackIndex[i] === s) out.push(i)
    return out
  }

  /** the current values as float64 arrays (xy and span interleaved x, y per panel) — for GroupedAdam */
  values(): { xy: Float64Array; z: Float64Array; span: Float64Array } {
    return {
      xy: Float64Array.from(this.host.xy),
      z: Float64Array.from(this.host.z),
      span: Float64Array.from(this.host.span),
    }
  }

  setValues(v: { xy?: ArrayLike<number>; z?: ArrayLike<number>; span?: ArrayLike<number> }): void {
    const P = this.n
    const check = (a: ArrayLike<number>, len: number, what: string) => {
      if (a.length !== len) throw new Error(`${what}: expected ${len} values, got ${a.length}`)
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${what}: value ${i} is not finite`)
    }
    if (v.xy) check(v.xy, 2 * P, 'xy')
    if (v.z) check(v.z, P, 'z')
    if (v.span) check(v.span, 2 * P, 'span')
    tf.tidy(() => {
      if (v.xy) { this.host.xy = Float32Array.from(v.xy); this.xy.assign(tf.tensor2d(this.host.xy, [P, 2])) }
      if (v.z) { this.host.z = Float32Array.from(v.z); this.z.assign(tf.tensor1d(this.host.z)) }
      if (v.span) { this.host.span = Float32Array.from(v.span); this.span.assign(tf.tensor2d(this.host.span, [P, 2])) }
    })
  }

  /** plain-number geometry per panel (design order) */
  toPanelStates(): PanelState[] {
    const { xy, z, span } = this.host
    return this.ids.map((id, i) => ({
      id, stack: this.stackIndex[i] === 0 ? 'above' : 'below',
      x: xy[2 * i], y: xy[2 * i + 1], z: z[i], span_x: span[2 * i], span_y: span[2 * i + 1],
    }))
  }

  /** design panels with the current geometry (technology overrides kept), for exports */
  toDesignPanels(): Detector['panels'] {
    return this.toPanelStates().map((s, i) => (this.overrides[i] ? { ...s, technology: { ...this.overrides[i]! } } : s))
  }

  /**
   * Set the geometry from plain numbers. States carrying an id are matched by id (unknown id → error);
   * without ids the list must hold one entry per panel, in design order.
   */
  assignFrom(states: readonly PanelGeometry[]): void {
    const v = this.values()
    states.forEach((s, k) => {
      let i = k
      if (s.id !== undefined) {
        i = this.ids.indexOf(s.id)
        if (i < 0) throw new Error(`no panel with id "${s.id}"`)
      } else if (states.length !== this.n) {
        throw new Error(`assignFrom without ids needs ${this.n} panels, got ${states.length}`)
      }
      v.xy[2 * i] = s.x; v.xy[2 * i + 1] = s.y; v.z[i] = s.z; v.span[2 * i] = s.span_x; v.span[2 * i + 1] = s.span_y
    })
    this.setValues(v)
  }

  /** Σ cost_per_m² · w_x · w_y (differentiable in span) */
  cost(): tf.Scalar {
    return tf.tidy(() => tf.sum(tf.mul(tf.prod(this.span, 1), this.costPerM2)) as tf.Scalar)
  }

  costValue(): number {
    const s = this.host.span
    let c = 0
    for (let i = 0; i < this.n; i++) c += this.costValues[i] * s[2 * i] * s[2 * i + 1]
    return c
  }

  dispose(): void {
    tf.dispose([this.xy, this.z, this.span, this.sigma, this.efficiency, this.costPerM2])
  }
}

export function createPanelParams(detector: Detector): PanelParams {
  return new PanelParams(detector)
}

/**
 * Acceptance a ∈ [0, 1] of panels for muons. dx, dy: crossing point minus panel centre, broadcastable to
 * [K, N] (panel-major); halfX, halfY: half spans, [K, 1]. Smooth: the normalised two-sided sigmoid product
 * (module comment); hard: the indicator of the open rectangle (zero gradient).
 */
export function panelAcceptance(
  dx: tf.Tensor, dy: tf.Tensor, halfX: tf.Tensor, halfY: tf.Tensor, mode: AcceptanceMode, smoothness: number,
): tf.Tensor {
  return tf.tidy(() => {
    if (mode === 'hard') {
      // step(h − |Δ|): 1 inside, 0 outside and on the edge itself (a set of measure zero); Step has a (zero)
      // gradient registered and is ~100× faster on wasm than a comparison followed by a cast
      return tf.mul(tf.step(tf.sub(halfX, tf.abs(dx))), tf.step(tf.sub(halfY, tf.abs(dy))))
    }
    if (!(smoothness > 0) || !Number.isFinite(smoothness)) throw new Error(`smoothness must be a positive number, got ${smoothness}`)
    const c = 1 / smoothness
    const sig = 1 / (1 + Math.exp(-c))
    const norm = 1 / (sig * sig * sig * sig)
    const axis = (d: tf.Tensor, half: tf.Tensor) => {
      const u = tf.mul(d, tf.reciprocal(tf.mul(half, smoothness))) // Δ/(s·w/2)
      return tf.mul(tf.sigmoid(tf.add(u, c)), tf.sigmoid(tf.sub(c, u)))
    }
    return tf.mul(tf.mul(axis(dx, halfX), axis(dy, halfY)), norm)
  })
}

/** The same acceptance in plain numbers (one panel, one crossing) — for tests and the UI. */
export function acceptanceValue(dx: number, dy: number, spanX: number, spanY: number, mode: AcceptanceMode, smoothness: number): number {
  if (mode === 'hard') return Math.abs(dx) < spanX / 2 && Math.abs(dy) < spanY / 2 ? 1 : 0
  const sg = (t: number) => 1 / (1 + Math.exp(-t))
  const c = 1 / smoothness
  const ax = (d: number, w: number) => (sg(c + d / (smoothness * w / 2)) * sg(c - d / (smoothness * w / 2))) / (sg(c) * sg(c))
  return ax(dx, spanX) * ax(dy, spanY)
}
