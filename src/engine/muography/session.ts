// A muography optimisation session: the design, the panel parameters, the optimiser, the hard-panel validation
// and the best design found. The worker and the CLI both drive this (through ../session.ts).
import { overLimitPenalty } from '../core/limits'
import { GroupedAdam } from '../core/optimizer'
import { deriveSeed } from '../core/rng'
import { tf, withScope } from '../core/tensor'
import type { MuographyDesign } from '../design/schema'
import type {
  LossParts, PanelPatch, PanelState, Session, SessionConfigPatch, Snapshot, StepResult, TrackSample,
} from '../session-types'
import { clampInto, panelBounds, type PanelBounds } from './bounds'
import { budgetTermPlain, budgetTerm, costTensor } from './cost'
import type { Explanation, PanelGradient } from '../explain-types'
import { solveScatteringDensity, type EmResult } from './em'
import { fisherConstants, fisherLoss } from './fisher'
import { pathTensors } from './path-tensors'
import { buildPaths, pocaOfLines, type LinePair, type PathMatrix } from './paths'
import { createPanelParams, type PanelParams } from './panels'
import { reconstructBatch, recoLines, simulate, truthLines, type SimBatch, type TapeReco } from './pipeline'
import { buildVolume } from './volume'
import { voxelMeasurement, type VoxelMeasurement } from './voxel-measurement'
import { lambdaFloor, logX0Error, logX0ErrorPlain, unrolledEm } from './x0-loss'
import type { VoxelVolume } from './types'

export interface HistoryPoint {
  step: number
  loss: number | null
  task: number | null
  cost: number
  validation: number | null
}

interface LossRecord { task: number; cost: number; budget: number | null }

export interface X0Constants {
  lines: LinePair
  paths: PathMatrix
  lambda0: Float32Array
  lambda0Plain: Float64Array
}

export interface MuographyExplanation extends Explanation<PanelGradient> {
  voxels: VoxelMeasurement
  /** the x0 loss's constants used (null for the Fisher loss) */
  constants: X0Constants | null
}

interface RunConfig {
  muons: number
  loss: 'x0' | 'fisher'
  budget: number | null
  costWeight: number | 'auto'
  smoothness: number | null
  seed: number
}

/** EM iterations unrolled on the tape for the sampled (x0) task term */
const TAPE_EM_ITERATIONS = 2
// more iterations amplify noise (the ill-posed depth direction): 20 balances ladle-furnace (fewer is better)
// against u-lorry (more is better); see docs/physics-inference.md
const EM_ITERATIONS_COLD = 20
const EM_ITERATIONS_WARM = 10

export class MuographySession implements Session {
  readonly kind = 'muography' as const
  readonly volume: VoxelVolume
  readonly lambdaTrue: Float64Array
  private design: MuographyDesign
  private panels: PanelParams
  private values: { xy: Float64Array; z: Float64Array; span: Float64Array }
  private bounds: PanelBounds
  private opt: GroupedAdam
  private cfg: RunConfig
  private stepCount = 0
  private resolvedCostWeight: number | null = null
  private lambdaPred: Float64Array | null = null
  private lastLoss: LossParts | null = null
  private lastValidation: number | null = null
  private clamped = false
  private validationBatch: SimBatch | null = null
  private lastLines: LinePair | null = null
  private lastBatch: SimBatch | null = null
  private lastGradient: Record<string, PanelGradient> | null = null
  readonly history: HistoryPoint[] = []
  best: { step: number; validation: number; panels: PanelState[] } | null = null

  constructor(design: MuographyDesign) {
    this.design = structuredClone(design)
    this.volume = buildVolume(design.volume)
    this.lambdaTrue = Float64Array.from(this.volume.x0, (x) => 1 / x)
    this.panels = createPanelParams(design.detector)
    this.bounds = panelBounds(design)
    const o = design.optimizer
    this.opt = new GroupedAdam(
      [{ name: 'xy', lr: o.learning_rates.xy }, { name: 'z', lr: o.learning_rates.z }, { name: 'span', lr: o.learning_rates.span }],
      o.max_change,
    )
    this.cfg = {
      muons: o.muons_per_step, loss: o.loss, budget: o.budget, costWeight: o.cost_weight, smoothness: null, seed: design.seed,
    }
    this.values = this.readVariables()
  }

  get stepNumber(): number { return this.stepCount }
  get nanSteps(): number { return this.opt.skippedSteps }

  /** smoothness of the training acceptance: annealed geometrically from start to end over the planned steps */
  smoothness(): number {
    if (this.cfg.smoothness !== null) return this.cfg.smoothness
    const { start, end } = this.design.optimizer.smoothness
    const f = Math.min(1, this.stepCount / Math.max(1, this.design.optimizer.steps))
    return start * (end / start) ** f
  }

  private readVariables() {
    return {
      xy: Float64Array.from(this.panels.xy.dataSync()),
      z: Float64Array.from(this.panels.z.dataSync()),
      span: Float64Array.from(this.panels.span.dataSync()),
    }
  }

  private writeVariables(): void {
    const P = this.values.z.length
    tf.tidy(() => {
      this.panels.xy.assign(tf.tensor2d(Float32Array.from(this.values.xy), [P, 2]))
      this.panels.z.assign(tf.tensor1d(Float32Array.from(this.values.z)))
      this.panels.span.assign(tf.tensor2d(Float32Array.from(this.values.span), [P, 2]))
    })
  }

  currentCost(): number {
    let c = 0
    const costs = this.panels.costPerM2.dataSync()
    for (let i = 0; i < this.values.z.length; i++) c += costs[i] * this.values.span[2 * i] * this.values.span[2 * i + 1]
    return c
  }

  /** the fitted lines, their path matrix and the EM solution on them: constants of the x0 task term (no gradient
   *  flows through the paths or the EM start; the tape follows TAPE_EM_ITERATIONS updates from there) */
  private x0Constants(r: TapeReco, batch: SimBatch, warm: boolean): X0Constants {
    const w = r.w.dataSync() as Float32Array
    const lines = recoLines(r.reco, w, this.volume)
    const paths = buildPaths(this.volume, lines)
    const obs = { m: r.m.dataSync(), e: r.e.dataSync(), w, c: batch.c }
    const em = solveScatteringDensity(paths, obs, warm && this.lambdaPred
      ? { iterations: EM_ITERATIONS_WARM, init: this.lambdaPred }
      : { iterations: EM_ITERATIONS_COLD })
    return { lines, paths, lambda0: Float32Array.from(em.lambda), lambda0Plain: em.lambda }
  }

  /** the training loss on the tape: task (Fisher or sampled X0) + weight × budget term; parts go to `rec` */
  private lossFrom(r: TapeReco, batch: SimBatch, truth: PathMatrix | null, k: X0Constants | null, rec: LossRecord): tf.Scalar {
    let task: tf.Scalar
    if (truth) {
      task = fisherLoss(pathTensors(truth), fisherConstants(truth, this.lambdaTrue, batch.c), r.w, r.e)
    } else {
      if (!k) throw new Error('the x0 loss needs its path matrix and EM start')
      const lam = unrolledEm(pathTensors(k.paths), { m: r.m, e: r.e, w: r.w, c: tf.tensor1d(batch.c) }, k.lambda0, TAPE_EM_ITERATIONS)
      task = logX0Error(lam, tf.tensor1d(Float32Array.from(this.lambdaTrue)), lambdaFloor(this.volume.voxel))
    }
    rec.task = task.dataSync()[0]
    const cost = costTensor(this.panels.span, this.panels.costPerM2)
    rec.cost = cost.dataSync()[0]
    rec.budget = null
    const weight = this.costWeightFor(rec.task)
    if (this.cfg.budget !== null && weight > 0) {
      const b = budgetTerm(cost, this.cfg.budget)
      rec.budget = b.dataSync()[0]
      return tf.add(task, tf.mul(weight, b)) as tf.Scalar
    }
    return task
  }

  private panelGradients(xy: ArrayLike<number>, z: ArrayLike<number>, span: ArrayLike<number>): Record<string, PanelGradient> {
    const out: Record<string, PanelGradient> = {}
    this.design.detector.panels.forEach((p, i) => {
      out[p.id] = { x: xy[2 * i], y: xy[2 * i + 1], z: z[i], span_x: span[2 * i], span_y: span[2 * i + 1] }
    })
    return out
  }

  private partsOf(rec: LossRecord): Record<string, number> {
    const parts: Record<string, number> = { task: rec.task, cost: rec.cost }
    if (rec.budget !== null) parts.budget = rec.budget * (this.resolvedCostWeight ?? 0)
    return parts
  }

  /**
   * The training loss of the current panels on the batch of step `stepNumber` (same seed, same smoothness), its
   * gradient per panel parameter, and how well each voxel is measured. Nothing changes in the session. For the x0
   * loss the path matrix and EM start are constants of the loss (as in a step); pass `constants` from an earlier
   * call to evaluate the same function at other panel positions (finite differences).
   */
  explain(constants?: X0Constants): MuographyExplanation {
    const batch = simulate(this.design, this.volume, this.values.z.length, this.cfg.muons, deriveSeed(this.cfg.seed, 'step', this.stepCount), 'train')
    const truth = buildPaths(this.volume, truthLines(batch.tracks, this.volume))
    const fisherTruth = this.cfg.loss === 'fisher' ? truth : null
    const rec: LossRecord = { task: NaN, cost: NaN, budget: null }
    let used: X0Constants | null = null
    const { value, grads } = tf.variableGrads(() => {
      const r = reconstructBatch(batch, this.volume, this.panels, 'smooth', this.smoothness())
      used = fisherTruth ? null : constants ?? this.x0Constants(r, batch, false)
      return this.lossFrom(r, batch, fisherTruth, used, rec)
    }, [this.panels.xy, this.panels.z, this.panels.span])
    const gradient = this.panelGradients(
      grads[this.panels.xy.name].dataSync(), grads[this.panels.z.name].dataSync(), grads[this.panels.span.name].dataSync())
    const loss = value.dataSync()[0]
    tf.dispose([value, ...Object.values(grads)])
    const voxels = withScope(() => voxelMeasurement(truth, batch, this.lambdaTrue, reconstructBatch(batch, this.volume, this.panels, 'hard', 1)))
    return { loss, parts: this.partsOf(rec), gradient, voxels, constants: used }
  }

  async step(): Promise<StepResult> {
    const seed = deriveSeed(this.cfg.seed, 'step', this.stepCount)
    const batch = simulate(this.design, this.volume, this.values.z.length, this.cfg.muons, seed, 'train')
    const s = this.smoothness()
    const truth = this.cfg.loss === 'fisher' ? buildPaths(this.volume, truthLines(batch.tracks, this.volume)) : null
    const rec: LossRecord = { task: NaN, cost: NaN, budget: null }
    const { value, grads } = this.computeGradients(() => {
      const r = reconstructBatch(batch, this.volume, this.panels, 'smooth', s)
      const k = this.x0Constants(r, batch, true)
      this.lambdaPred = k.lambda0Plain
      this.lastLines = k.lines
      return this.lossFrom(r, batch, truth, k, rec)
    }, [this.panels.xy, this.panels.z, this.panels.span])
    const total = value.dataSync()[0]
    const g = {
      xy: grads[this.panels.xy.name].dataSync(),
      z: grads[this.panels.z.name].dataSync(),
      span: grads[this.panels.span.name].dataSync(),
    }
    tf.dispose([value, ...Object.values(grads)])
    this.lastGradient = this.panelGradients(g.xy, g.z, g.span)
    this.lastBatch = batch
    this.stepCount++
    let skipped = !Number.isFinite(total)
    if (skipped) this.opt.skippedSteps++
    else {
      const rep = this.opt.step(this.values, g, { ...this.bounds })
      skipped = rep.skipped
      this.clamped = rep.clamped
      if (!skipped) this.writeVariables()
    }
    this.lastLoss = { total, parts: this.partsOf(rec) }
    let validation: number | null = null
    if (this.stepCount % this.design.optimizer.validation_every === 0) validation = await this.validate()
    this.history.push({ step: this.stepCount, loss: Number.isFinite(total) ? total : null, task: Number.isFinite(rec.task) ? rec.task : null, cost: rec.cost, validation })
    return { step: this.stepCount, loss: this.lastLoss, skipped, validation }
  }

  /** the gradient call, separate so that tests can inject faults */
  protected computeGradients(f: () => tf.Scalar, vars: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    return tf.variableGrads(f, vars)
  }

  private costWeightFor(task: number): number {
    if (typeof this.cfg.costWeight === 'number') return this.cfg.costWeight
    if (this.resolvedCostWeight === null && Number.isFinite(task)) this.resolvedCostWeight = task
    return this.resolvedCostWeight ?? 0
  }

  /**
   * The hard-panel metric on the fixed, seeded validation set (mean squared log error of X0; lower is better),
   * plus the hard budget penalty when the panels cost more than the budget: the best design is one within it.
   */
  async validate(): Promise<number> {
    const metric = this.validationMetric() + overLimitPenalty(this.currentCost(), this.cfg.budget)
    this.lastValidation = metric
    if (Number.isFinite(metric) && (!this.best || metric < this.best.validation)) {
      this.best = { step: this.stepCount, validation: metric, panels: this.panelStates() }
    }
    return metric
  }

  validationMetric(): number {
    const em = this.predictX0()
    // a voxel no muon reached has no estimate: it scores as "light" (NaN → the floor), so seeing less never pays
    const lam = Float64Array.from(em.lambda, (l, j) => (em.coverage[j] > 0 ? l : NaN))
    return logX0ErrorPlain(lam, this.lambdaTrue, lambdaFloor(this.volume.voxel))
  }

  /** per-voxel X0 predicted on the validation set with hard panels (for the CLI and the UI) */
  predictX0(): EmResult {
    this.validationBatch ??= simulate(this.design, this.volume, this.values.z.length, this.design.optimizer.validation_muons, this.cfg.seed, 'validation')
    const vb = this.validationBatch
    return withScope(() => {
      const r = reconstructBatch(vb, this.volume, this.panels, 'hard', 1)
      const w = r.w.dataSync() as Float32Array
      const obs = { m: r.m.dataSync(), e: r.e.dataSync(), w, c: vb.c }
      return solveScatteringDensity(buildPaths(this.volume, recoLines(r.reco, w, this.volume)), obs, { iterations: EM_ITERATIONS_COLD })
    })
  }

  panelStates(): PanelState[] {
    return this.design.detector.panels.map((p, i) => ({
      id: p.id, stack: p.stack,
      x: this.values.xy[2 * i], y: this.values.xy[2 * i + 1], z: this.values.z[i],
      span_x: this.values.span[2 * i], span_y: this.values.span[2 * i + 1],
    }))
  }

  setPanels(patch: PanelPatch[]): void {
    for (const p of patch) {
      const i = this.design.detector.panels.findIndex((q) => q.id === p.id)
      if (i < 0) throw new Error(`no panel with id "${p.id}"`)
      const set = (arr: Float64Array, k: number, v: number | undefined, what: string) => {
        if (v === undefined) return
        if (!Number.isFinite(v)) throw new Error(`panel ${p.id}: ${what} must be a finite number`)
        arr[k] = v
      }
      set(this.values.xy, 2 * i, p.x, 'x')
      set(this.values.xy, 2 * i + 1, p.y, 'y')
      set(this.values.z, i, p.z, 'z')
      set(this.values.span, 2 * i, p.span_x, 'span_x')
      set(this.values.span, 2 * i + 1, p.span_y, 'span_y')
    }
    clampInto(this.values.xy, this.bounds.xy)
    clampInto(this.values.z, this.bounds.z)
    clampInto(this.values.span, this.bounds.span)
    this.writeVariables()
  }

  setConfig(patch: SessionConfigPatch): void {
    const finite = (v: number, what: string, min = 0) => {
      if (!Number.isFinite(v) || v < min) throw new Error(`${what} must be a finite number ≥ ${min}`)
      return v
    }
    if (patch.learning_rates) {
      for (const [k, v] of Object.entries(patch.learning_rates)) if (v !== undefined) this.opt.setLearningRate(k, finite(v, `learning rate ${k}`))
    }
    if (patch.muons_per_step !== undefined) this.cfg.muons = Math.round(finite(patch.muons_per_step, 'muons per step', 100))
    if (patch.cost_weight !== undefined) {
      this.cfg.costWeight = patch.cost_weight === 'auto' ? 'auto' : finite(patch.cost_weight, 'cost weight')
      if (patch.cost_weight === 'auto') this.resolvedCostWeight = null
    }
    if (patch.budget !== undefined) this.cfg.budget = patch.budget === null ? null : finite(patch.budget, 'budget', 1e-9)
    if (patch.loss !== undefined) {
      if (patch.loss !== 'x0' && patch.loss !== 'fisher') throw new Error(`loss must be "x0" or "fisher", got "${patch.loss}"`)
      this.cfg.loss = patch.loss
    }
    if (patch.smoothness !== undefined) this.cfg.smoothness = finite(patch.smoothness, 'smoothness', 1e-3)
    if (patch.seed !== undefined) this.cfg.seed = Math.round(finite(patch.seed, 'seed'))
  }

  private trackSample(k: number): TrackSample | undefined {
    const b = this.lastBatch
    const lines = this.lastLines
    if (!b || !lines) return undefined
    const idx: number[] = []
    for (let i = 0; i < b.tracks.n && idx.length < k; i++) if (b.tracks.alive[i] && lines.use?.[i]) idx.push(i)
    const t = b.tracks
    const f = (a: Float32Array[], i: number) => a.map((x) => x[i])
    const entry = new Float32Array(idx.flatMap((i) => f([t.xin, t.yin, t.zin], i)))
    const exit = new Float32Array(idx.flatMap((i) => f([t.xout, t.yout, t.zout], i)))
    const entryDir = new Float32Array(idx.flatMap((i) => f([t.uxin, t.uyin, t.uzin], i)))
    const exitDir = new Float32Array(idx.flatMap((i) => f([t.uxout, t.uyout, t.uzout], i)))
    const poca = new Float32Array(idx.flatMap((i) => pocaOfLines(
      [lines.inX[i], lines.inY[i], lines.zIn], [lines.inTx[i], lines.inTy[i], 1],
      [lines.outX[i], lines.outY[i], lines.zOut], [lines.outTx[i], lines.outTy[i], 1])))
    return { entry, exit, entryDir, exitDir, poca }
  }

  snapshot(opts: { tracks?: number; x0?: boolean } = {}): Snapshot {
    return {
      kind: 'muography',
      step: this.stepCount,
      loss: this.lastLoss,
      validation: this.lastValidation,
      best: this.best ? { step: this.best.step, validation: this.best.validation } : null,
      nanSteps: this.opt.skippedSteps,
      clamped: this.clamped,
      cost: this.currentCost(),
      budget: this.cfg.budget,
      panels: this.panelStates(),
      gradient: this.lastGradient ?? undefined,
      x0Pred: opts.x0 !== false && this.lambdaPred ? Float32Array.from(this.lambdaPred, (l) => 1 / l) : undefined,
      tracks: opts.tracks ? this.trackSample(opts.tracks) : undefined,
    }
  }

  exportDesign(which: 'current' | 'best' = 'current'): MuographyDesign {
    const states = which === 'best' && this.best ? this.best.panels : this.panelStates()
    const d = structuredClone(this.design)
    d.detector.panels = d.detector.panels.map((p, i) => ({
      ...p, x: states[i].x, y: states[i].y, z: states[i].z, span_x: states[i].span_x, span_y: states[i].span_y,
    }))
    d.optimizer = { ...d.optimizer, muons_per_step: this.cfg.muons, loss: this.cfg.loss, budget: this.cfg.budget, cost_weight: this.cfg.costWeight }
    d.seed = this.cfg.seed
    const hist = this.history.length > 2000 ? this.history.filter((_, i) => i % Math.ceil(this.history.length / 2000) === 0) : this.history
    d.results = {
      steps: this.stepCount,
      best_step: this.best?.step ?? null,
      best_validation: this.best?.validation ?? null,
      final_loss: this.lastLoss?.total ?? null,
      backend: tf.getBackend(),
      exported_at: new Date().toISOString(),
      loss_history: hist.map((h) => ({ step: h.step, loss: h.loss, task: h.task, cost: h.cost, validation: h.validation })),
      metrics: { cost: this.currentCost(), budget_term: this.cfg.budget !== null ? budgetTermPlain(this.currentCost(), this.cfg.budget) : null },
    }
    return d
  }

  dispose(): void {
    this.panels.dispose()
  }
}
