// Adam (Kingma & Ba, arXiv:1412.6980) over named parameter groups, in plain numbers: detector parameters are
// few, so the update runs outside the tensor engine. Because Adam's step is ≈ lr·sign(gradient), a learning
// rate here is a length per step (m/step). Each update is clamped to maxChange per parameter and projected into
// the bounds; a step whose gradient is not finite is skipped and counted, so parameters never become NaN.

export interface GroupSpec {
  name: string
  lr: number
}

export interface Bounds {
  lower: Float64Array
  upper: Float64Array
}

export interface UpdateReport {
  skipped: boolean
  /** at least one parameter hit the per-step limit */
  clamped: boolean
  /** at least one parameter was held at a bound */
  bounded: boolean
}

export class GroupedAdam {
  readonly lr: Record<string, number> = {}
  private m: Record<string, Float64Array> = {}
  private v: Record<string, Float64Array> = {}
  private t = 0
  skippedSteps = 0

  constructor(
    groups: GroupSpec[],
    public maxChange = Infinity,
    // β1 = 0.7 rather than Adam's 0.9: a budget term can make early gradients ~30× the later task gradients,
    // and with 0.9 the momentum then needs ~27 steps to turn round (lead-in-beryllium, budget 4: cost 1.7
    // instead of 3.4 after 40 steps). 0.7 turns in ~8 steps; the Fisher task term is smooth enough not to need more.
    private readonly beta1 = 0.7,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    for (const g of groups) this.lr[g.name] = g.lr
  }

  setLearningRate(name: string, lr: number): void {
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`learning rate for ${name} must be a finite number ≥ 0`)
    this.lr[name] = lr
  }

  reset(): void {
    this.m = {}
    this.v = {}
    this.t = 0
    this.skippedSteps = 0
  }

  /** Update `values` in place from `grads`. */
  step(
    values: Record<string, Float64Array>,
    grads: Record<string, ArrayLike<number>>,
    bounds: Record<string, Bounds>,
  ): UpdateReport {
    for (const name of Object.keys(values)) {
      const g = grads[name]
      if (!g) continue
      for (let i = 0; i < g.length; i++) {
        if (!Number.isFinite(g[i])) {
          this.skippedSteps++
          return { skipped: true, clamped: false, bounded: false }
        }
      }
    }
    this.t++
    let clamped = false
    let bounded = false
    const bc1 = 1 - this.beta1 ** this.t
    const bc2 = 1 - this.beta2 ** this.t
    for (const name of Object.keys(values)) {
      const x = values[name]
      const g = grads[name]
      const lr = this.lr[name] ?? 0
      if (!g || lr === 0) continue
      const m = (this.m[name] ??= new Float64Array(x.length))
      const v = (this.v[name] ??= new Float64Array(x.length))
      const b = bounds[name]
      for (let i = 0; i < x.length; i++) {
        m[i] = this.beta1 * m[i] + (1 - this.beta1) * g[i]
        v[i] = this.beta2 * v[i] + (1 - this.beta2) * g[i] * g[i]
        let dx = (-lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + this.eps)
        if (Math.abs(dx) > this.maxChange) {
          dx = Math.sign(dx) * this.maxChange
          clamped = true
        }
        let nx = x[i] + dx
        if (b) {
          if (nx < b.lower[i]) { nx = b.lower[i]; bounded = true }
          if (nx > b.upper[i]) { nx = b.upper[i]; bounded = true }
        }
        if (Number.isFinite(nx)) x[i] = nx
      }
    }
    return { skipped: false, clamped, bounded }
  }
}
