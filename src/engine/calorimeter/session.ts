// An optimisation session for a calorimeter design (the Session interface of session-types.ts): Adam over the
// layer thicknesses and the reconstruction, a NaN guard (a step with a non-finite loss or gradient is skipped and
// counted; parameters never become NaN), and validation every K steps on a fixed, seeded shower set, keeping the
// best design by that metric. The validation metric uses the hard depth limit: a design deeper than
// constraints.max_depth (or dearer than the budget) is penalised by 1 + 10·excess and so is never the best.
import { overLimitPenalty } from '../core/limits'
import { material, isMaterialName } from '../core/materials'
import { GroupedAdam, type Bounds } from '../core/optimizer'
import { deriveSeed } from '../core/rng'
import { readBack, tf } from '../core/tensor'
import type { CalorimeterDesign } from '../design/calorimeter'
import type { Design } from '../design/schema'
import type { Explanation, LayerGradient } from '../explain-types'
import type {
  LayerPatch, LayerState, LossParts, Session, SessionConfigPatch, Snapshot, StepResult,
} from '../session-types'
import { stepResult } from '../session-types'
import { drawShowers, startDrawShowers, type ShowerDraws } from './draws'
import { gpuShowerDraws } from '../gpu/showers'
import { cellSamplingFraction, effectiveMedium } from './effective'
import { evaluate, paramTensors, type EvalPoint, type EvalResult, type ParamValues } from './evaluate'
import { resolutionAt } from './fit'
import { CaloModel, defaultK } from './model'
import { objective, PART_NAMES, type ObjectiveConfig } from './objective'
import { boundsFor, cellsWith, groupSpecs, initialValues, layoutFor, type ParamLayout } from './params'
import { rearCells } from './leakage-correction'
import { showers } from './beam-task'
import { cellX0, stackDepth_m, type Cell } from './stack'
import { timed } from '../core/phases'
import { Ahead } from '../parallel/ahead'

export interface CaloSessionOptions {
  /** override the per-step shower count of the design */
  showersPerStep?: number
  /** override the validation set size per energy (default: beam.showers_per_energy) */
  validationShowers?: number
  /** quadrature points per cell (default: about 256 grid points in all) */
  K?: number
  /** testing aid: transform the training loss of a step (e.g. make it NaN to exercise the guard) */
  lossHook?: (loss: tf.Scalar, step: number) => tf.Scalar
}

interface HistoryPoint { step: number; loss: number | null; task?: number | null; cost?: number | null; validation?: number | null }

/** the unit of the prices × kg and m² (the design's price unit) */
const COST_UNIT = 'cost'

const cloneValues = (v: ParamValues): ParamValues => ({
  absorber: v.absorber.slice(), active: v.active.slice(), theta: v.theta.slice(), dense: v.dense ? v.dense.slice() : null,
})

const finiteAll = (a: ArrayLike<number>) => { for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false; return true }

/** absorber mass × price per kg + active area × price per m² per layer (plain numbers) */
export function stackCost(cells: readonly Cell[], transverse: number, prices: CalorimeterDesign['prices']): number {
  const area = transverse * transverse
  let kgPerM2 = 0
  for (const c of cells) kgPerM2 += material(c.absorber).density_g_cm3 * 1000 * c.absorber_thickness
  return kgPerM2 * area * prices.absorber_per_kg + cells.length * area * prices.active_per_m2
}

export class CalorimeterSession implements Session {
  readonly kind = 'calorimeter' as const
  private design: CalorimeterDesign
  private layout: ParamLayout
  private values: ParamValues
  private bounds: Record<string, Bounds>
  private opt: GroupedAdam
  private model: CaloModel
  private readonly K: number | undefined
  private readonly lossHook: CaloSessionOptions['lossHook']
  private stepCount = 0
  private nanSteps = 0
  private lastLoss: LossParts | null = null
  private lastValidation: number | null = null
  private bestState: { step: number; validation: number; values: ParamValues; eval: EvalResult; cells: Cell[] } | null = null
  private lastEval!: EvalResult
  private history: HistoryPoint[] = []
  private showersPerStep: number
  private validationShowers: number
  private costWeight = 0
  private costRef: number
  private lastClamped = false
  private lastGradient: Record<string, LayerGradient> | null = null
  /** the next step's shower draws, being made on the kernel threads (drawAhead) */
  private ahead = new Ahead<() => ShowerDraws>()
  /** the parameters the run started from (edits before the first step included): what a Reset returns to */
  private startValues: ParamValues

  constructor(design: CalorimeterDesign, opts: CaloSessionOptions = {}) {
    this.design = structuredClone(design)
    this.K = opts.K
    this.lossHook = opts.lossHook
    this.showersPerStep = opts.showersPerStep ?? design.optimizer.showers_per_step
    this.validationShowers = opts.validationShowers ?? design.beam.showers_per_energy
    this.layout = layoutFor(this.design, this.design.optimizer.granularity)
    this.values = initialValues(this.design, this.layout)
    this.bounds = boundsFor(this.values)
    this.startValues = cloneValues(this.values)
    this.opt = new GroupedAdam(groupSpecs(this.design.optimizer.learning_rate, this.values, this.layout.homogeneous))
    this.model = this.buildModel()
    const cells = this.cells()
    this.costRef = this.design.optimizer.budget ?? stackCost(cells, this.design.calorimeter.transverse_size, this.design.prices)
  }

  /** the first evaluation (an asynchronous read-back), which the 'auto' cost weight needs: createCalorimeterSession */
  async init(): Promise<this> {
    this.lastEval = await this.evaluateNow()
    // 'auto' cost weight: a cost change of 100 % weighs as much as 10 % of the initial resolution
    const cw = this.design.optimizer.cost_weight
    this.costWeight = cw === 'auto' ? 0.1 * this.taskFrom(this.lastEval) : cw
    return this
  }

  private buildModel(): CaloModel {
    const L = this.layout.cells.length
    return new CaloModel({
      cells: this.layout.cells,
      paramOf: this.layout.paramOf,
      nParams: this.layout.nParams,
      K: this.K ?? defaultK(L),
      transverseSize: this.design.calorimeter.transverse_size,
      spotSize: this.design.beam.spot_size,
      particle: this.design.beam.particle,
      noiseGeV: this.design.calorimeter.noise_gev_per_layer,
      scintillatorPePerMeV: this.design.calorimeter.scintillator_pe_per_mev,
      prices: this.design.prices,
      homogeneous: this.layout.homogeneous,
    })
  }

  private cells(v: ParamValues = this.values): Cell[] {
    return cellsWith(this.layout, v)
  }

  private config(): ObjectiveConfig {
    const o = this.design.optimizer
    return {
      loss: this.taskLoss(), costWeight: this.costWeight, costRef: this.costRef, budget: o.budget,
      maxDepth: this.design.constraints.max_depth, depthWeight: o.depth_weight, linearityWeight: this.showers() ? 1 : 0,
      rear: this.leakageCorrected() ? rearCells(this.cells().map(cellX0)) : null,
    }
  }

  /** whether the beam showers; a muon beam's task is its signal's relative width alone (beam-task.ts) */
  private showers(): boolean {
    return showers(this.design.beam.particle)
  }

  /** the design's loss; for a muon beam the plain mean of σ/⟨Ê⟩, as its signal has no a/√E ⊕ b/E ⊕ c to fit */
  private taskLoss(): ObjectiveConfig['loss'] {
    return this.showers() ? this.design.optimizer.loss : 'resolution'
  }

  /** whether the task is the resolution after the rear-leakage correction (a homogeneous stack has none, and a muon
   *  beam's energy is not measured) */
  private leakageCorrected(): boolean {
    return this.design.optimizer.leakage_correction && !this.layout.homogeneous && this.showers()
  }

  private evaluateNow(v: ParamValues = this.values): Promise<EvalResult> {
    return evaluate(this.model, v, this.design.beam.energies, this.validationShowers, this.design.seed, 'validation')
  }

  /** the task term of an evaluation, as the training loss takes it (loss.ts; corrected or not) */
  private taskFrom(ev: EvalResult): number {
    const corrected = this.leakageCorrected()
    const fit = corrected ? ev.fit_leakage_corrected : ev.fit
    const sigma = (p: EvalPoint) => (corrected ? p.sigma_over_e_leakage_corrected ?? NaN : p.sigma_over_e)
    const response = (p: EvalPoint) => (corrected ? p.mean_response_leakage_corrected ?? NaN : p.mean_response)
    const res = this.taskLoss() === 'resolution_fit' && fit && ev.points.length >= 3
      ? ev.points.reduce((s, p) => s + resolutionAt(fit, p.energy_gev), 0) / ev.points.length
      : ev.points.reduce((s, p) => s + sigma(p), 0) / ev.points.length
    const lin = this.showers() ? ev.points.reduce((s, p) => s + (response(p) - 1) ** 2, 0) / ev.points.length : 0
    return res + lin
  }

  /** the validation metric of an evaluated design: task + cost part + hard penalties for depth and budget */
  private metric(ev: EvalResult, cells: Cell[]): number {
    const cost = stackCost(cells, this.design.calorimeter.transverse_size, this.design.prices)
    let m = this.taskFrom(ev) + (this.costWeight * cost) / this.costRef
    m += overLimitPenalty(stackDepth_m(cells), this.design.constraints.max_depth)
    m += overLimitPenalty(cost, this.design.optimizer.budget)
    return m
  }

  async validate(): Promise<number> {
    this.lastEval = await this.evaluateNow()
    const cells = this.cells()
    const m = this.metric(this.lastEval, cells)
    this.lastValidation = m
    if (Number.isFinite(m) && (!this.bestState || m < this.bestState.validation)) {
      this.bestState = { step: this.stepCount, validation: m, values: cloneValues(this.values), eval: this.lastEval, cells }
    }
    const h = this.history[this.history.length - 1]
    if (h && h.step === this.stepCount) h.validation = m
    return m
  }

  /** what a step's shower draws are made from: the seeds of its energies, the showers per energy, the cells and
   *  whether there is noise */
  private drawSpec(stepIndex: number): { seeds: number[]; S: number; L: number; noise: boolean; key: string } {
    const energies = this.design.beam.energies
    const S = Math.max(1, Math.ceil(this.showersPerStep / energies.length))
    const L = this.layout.cells.length
    const seeds = energies.map((_, e) => deriveSeed(this.design.seed, 'step', stepIndex, e))
    const noise = this.design.calorimeter.noise_gev_per_layer > 0
    return { seeds, S, L, noise, key: JSON.stringify([seeds, S, L, noise]) }
  }

  /** The shower draws of step `stepIndex`: those drawn ahead when they are the ones asked for. On webgpu the draw
   *  kernel makes them where the model's tensors live. */
  private showerDraws(stepIndex: number): ShowerDraws {
    const { seeds, S, L, noise, key } = this.drawSpec(stepIndex)
    const ahead = this.ahead.take(key)
    if (ahead) return ahead()
    return gpuShowerDraws(seeds, 'showers', S, L, noise) ?? drawShowers(seeds, 'showers', S, L, noise)
  }

  /** Start step `stepIndex`'s shower draws on the kernel threads (parallel/ahead.ts; the draws do not depend on
   *  the layers) */
  private drawAhead(stepIndex: number): void {
    const { seeds, S, L, noise, key } = this.drawSpec(stepIndex)
    this.ahead.start(key, () => startDrawShowers(seeds, 'showers', S, L, noise))
  }

  /** the training loss of the current values on the showers of step `stepIndex`, its parts and its gradient; with
   *  `ahead`, the next step's draws are started meanwhile */
  private async lossAndGrads(stepIndex: number, ahead = false): Promise<{ lossValue: number; parts: Float32Array; grads: Record<string, Float32Array> }> {
    const energies = this.design.beam.energies
    const draws = timed('draws', () => this.showerDraws(stepIndex))
    if (ahead) this.drawAhead(stepIndex + 1)
    const cfg = this.config()
    const names = [...(this.layout.homogeneous ? [] : ['absorber']), 'active', 'theta', ...(this.values.dense ? ['dense'] : [])] as const
    let partsT: tf.Tensor | null = null
    const kept = tf.tidy(() => {
      const p = paramTensors(this.values)
      const xs = names.map((n) => p[n as keyof typeof p] as tf.Tensor)
      const f = (...args: tf.Tensor[]) => {
        const q = { ...p }
        names.forEach((n, i) => { (q as Record<string, tf.Tensor>)[n] = args[i] })
        const o = objective(this.model, q, energies, draws, cfg)
        partsT = tf.keep(o.parts)
        return this.lossHook ? this.lossHook(o.total, stepIndex) : o.total
      }
      const { value, grads } = tf.valueAndGrads(f)(xs)
      return [value, ...grads]
    })
    const partsKept = partsT as tf.Tensor | null
    const read = await readBack(partsKept ? [...kept, partsKept] : kept)
    const parts = partsKept ? read.pop()! : new Float32Array(PART_NAMES.length)
    const [total, ...gradArrays] = read
    tf.dispose(partsKept ? [...kept, partsKept] : kept)
    const grads: Record<string, Float32Array> = {}
    names.forEach((n, i) => { grads[n] = gradArrays[i] as Float32Array })
    return { lossValue: total[0], parts, grads }
  }

  private layerGradients(grads: Record<string, Float32Array>): Record<string, LayerGradient> {
    const out: Record<string, LayerGradient> = {}
    for (let k = 0; k < this.layout.nParams; k++) {
      out[`layers[${k}]`] = { absorber_thickness: grads.absorber?.[k] ?? 0, active_thickness: grads.active[k] }
    }
    return out
  }

  private partRecord(parts: Float32Array): Record<string, number> {
    const r: Record<string, number> = {}
    PART_NAMES.forEach((n, i) => { r[n] = parts[i] })
    return r
  }

  /** The training loss of the current layers on the showers of the next step (same seeds), and its gradient per
   *  layer group thickness (`layers[k]`: the design file's entry k). Nothing changes. */
  async explain(): Promise<Explanation<LayerGradient>> {
    const { lossValue, parts, grads } = await this.lossAndGrads(this.stepCount)
    return { loss: lossValue, parts: this.partRecord(parts), gradient: this.layerGradients(grads) }
  }

  async step(): Promise<StepResult> {
    const { lossValue, parts, grads } = await this.lossAndGrads(this.stepCount, true)
    const homogeneous = this.layout.homogeneous
    let skipped = false
    if (!Number.isFinite(lossValue) || !Object.values(grads).every(finiteAll)) {
      skipped = true
      this.nanSteps++
      this.lastClamped = false
    } else {
      const { absorber, active, theta, dense } = this.values
      const vals: Record<string, Float64Array> = { active, theta }
      if (!homogeneous) vals.absorber = absorber
      if (dense) vals.dense = dense
      const rep = this.opt.step(vals, grads, this.bounds)
      this.lastClamped = rep.clamped
    }
    this.lastGradient = this.layerGradients(grads)
    this.stepCount++
    const partRecord = this.partRecord(parts)
    this.lastLoss = Number.isFinite(lossValue) ? { total: lossValue, parts: partRecord } : null
    let validation: number | null = null
    if (this.stepCount % this.design.optimizer.validation_every === 0) validation = await this.validate()
    const cells = this.cells()
    const rec = stepResult({
      step: this.stepCount, loss: this.lastLoss, skipped, validation,
      detectorCost: { value: stackCost(cells, this.design.calorimeter.transverse_size, this.design.prices), unit: COST_UNIT },
      parameters: cells.flatMap((c) => [c.absorber_thickness, c.active_thickness]),
    })
    this.history.push({ step: rec.step, loss: rec.total, task: rec.task, cost: rec.penalties, validation: rec.validation })
    if (this.history.length > 100_000) this.history.shift()
    return rec
  }

  /** Layer edits (a drag in the UI). `index` is the expanded layer index; with granularity 'group' the edit
   *  applies to every layer of that layer's group. Thicknesses are clamped to the optimiser's bounds, which widen
   *  to take a value outside them (within the schema limits); a material change rebuilds the model. */
  setLayers(patch: LayerPatch[]): void {
    let rebuild = false
    for (const p of patch) {
      if (!Number.isInteger(p.index) || p.index < 0 || p.index >= this.layout.cells.length) throw new Error(`no layer ${p.index}`)
      const k = this.layout.paramOf[p.index]
      const setT = (name: 'absorber' | 'active', x: number | undefined, min: number) => {
        if (x === undefined) return
        if (!Number.isFinite(x)) throw new Error(`${name} thickness must be a finite number`)
        const v = Math.min(1, Math.max(min, x))
        const b = this.bounds[name]
        if (v < b.lower[k]) b.lower[k] = v
        if (v > b.upper[k]) b.upper[k] = v
        this.values[name][k] = v
      }
      if (!this.layout.homogeneous) setT('absorber', p.absorber_thickness, 0)
      setT('active', p.active_thickness, 1e-5)
      for (const key of ['absorber', 'active'] as const) {
        const m = p[key]
        if (m === undefined) continue
        if (!isMaterialName(m)) throw new Error(`unknown material "${m}"`)
        this.layout.cells.forEach((c, i) => {
          if (this.layout.paramOf[i] === k && c[key] !== m) { c[key] = m; rebuild = true }
        })
      }
    }
    if (rebuild) {
      this.model.dispose()
      this.model = this.buildModel()
    }
    if (this.stepCount === 0) this.startValues = cloneValues(this.values)
  }

  setConfig(patch: SessionConfigPatch): void {
    const o = this.design.optimizer
    if (patch.learning_rate !== undefined) {
      o.learning_rate = patch.learning_rate
      this.opt.setLearningRate('absorber', this.layout.homogeneous ? 0 : patch.learning_rate)
      this.opt.setLearningRate('active', patch.learning_rate)
    }
    if (patch.showers_per_step !== undefined) {
      if (!(Number.isInteger(patch.showers_per_step) && patch.showers_per_step >= 1)) throw new Error('showers_per_step must be a positive integer')
      this.showersPerStep = patch.showers_per_step
      o.showers_per_step = patch.showers_per_step
    }
    if (patch.cost_weight !== undefined) {
      o.cost_weight = patch.cost_weight
      this.costWeight = patch.cost_weight === 'auto' ? 0.1 * this.taskFrom(this.lastEval) : patch.cost_weight
    }
    if (patch.budget !== undefined) {
      o.budget = patch.budget
      if (patch.budget !== null && patch.budget > 0) this.costRef = patch.budget
    }
    if (patch.loss !== undefined) {
      if (patch.loss !== 'resolution' && patch.loss !== 'resolution_fit') throw new Error(`unknown calorimeter loss "${patch.loss}"`)
      o.loss = patch.loss
    }
    if (patch.seed !== undefined) {
      this.design.seed = patch.seed
      this.bestState = null
    }
  }

  private layerStates(cells: Cell[]): LayerState[] {
    return cells.map((c, index) => ({
      index, absorber: c.absorber, absorber_thickness: c.absorber_thickness, active: c.active, active_thickness: c.active_thickness,
    }))
  }

  snapshot(): Snapshot {
    const cells = this.cells()
    const eff = effectiveMedium(cells)
    const ev = this.lastEval
    return {
      kind: 'calorimeter',
      step: this.stepCount,
      loss: this.lastLoss,
      validation: this.lastValidation,
      best: this.bestState ? { step: this.bestState.step, validation: this.bestState.validation } : null,
      nanSteps: this.nanSteps,
      clamped: this.lastClamped,
      cost: stackCost(cells, this.design.calorimeter.transverse_size, this.design.prices),
      budget: this.design.optimizer.budget,
      layers: this.layerStates(cells),
      gradient: this.lastGradient ?? undefined,
      calo: {
        points: ev.points.map((p) => ({
          energy_gev: p.energy_gev, mean_response: p.mean_response, sigma_over_e: p.sigma_over_e, rms_over_e: p.rms_over_e,
          sigma_over_e_leakage_corrected: p.sigma_over_e_leakage_corrected,
        })),
        fit: ev.fit,
        fit_leakage_corrected: ev.fit_leakage_corrected,
        depth_m: eff.depth_m,
        depth_x0: eff.depth_x0,
        profile: ev.profile.slice(),
        shower: { energy_gev: ev.shower.energy_gev, fraction: ev.shower.fraction.slice() },
        sampling_fraction: eff.f_mip,
        layer_sampling_fraction: Float32Array.from(cells, cellSamplingFraction),
        leakage: ev.points.map((p) => p.leakage),
        containment: ev.points.map((p) => p.containment),
        max_depth: this.design.constraints.max_depth,
      },
    }
  }

  exportDesign(which: 'current' | 'best' | 'start' = 'current'): Design {
    const best = which === 'best' && this.bestState ? this.bestState : null
    const values = best ? best.values : which === 'start' ? this.startValues : this.values
    const cells = this.cells(values)
    const ev = best ? best.eval : this.lastEval
    const round = (x: number) => Math.round(x * 1e7) / 1e7
    const d = structuredClone(this.design)
    if (this.layout.granularity === 'group') {
      d.calorimeter.layers = d.calorimeter.layers.map((entry, g) => {
        const c = cells[this.layout.paramOf.indexOf(g)]
        return { ...entry, absorber: c.absorber, active: c.active, absorber_thickness: round(c.absorber_thickness), active_thickness: round(Math.max(1e-5, c.active_thickness)) }
      })
    } else {
      d.calorimeter.layers = cells.map((c) => ({
        repeat: 1, absorber: c.absorber, active: c.active,
        absorber_thickness: round(c.absorber_thickness), active_thickness: round(Math.max(1e-5, c.active_thickness)),
      }))
    }
    const eff = effectiveMedium(cells)
    const metrics: Record<string, number | null> = {
      depth_m: eff.depth_m,
      depth_x0: eff.depth_x0,
      cost: stackCost(cells, d.calorimeter.transverse_size, d.prices),
      sampling_fraction: eff.f_mip,
      mean_sigma_over_e: ev.points.reduce((s, p) => s + p.sigma_over_e, 0) / ev.points.length,
      stochastic: ev.fit?.stochastic ?? null,
      noise: ev.fit?.noise ?? null,
      constant: ev.fit?.constant ?? null,
      constant_leakage_corrected: ev.fit_leakage_corrected?.constant ?? null,
    }
    d.results = {
      steps: this.stepCount,
      best_step: this.bestState?.step ?? null,
      best_validation: this.bestState?.validation ?? null,
      final_loss: this.lastLoss?.total ?? null,
      backend: tf.getBackend() ?? undefined,
      exported_at: new Date().toISOString(),
      loss_history: this.history.map((h) => ({ ...h })),
      metrics,
    }
    return d
  }

  view(): null {
    return null
  }

  dispose(): void {
    this.ahead.clear()
    this.model.dispose()
  }
}

export function createCalorimeterSession(design: CalorimeterDesign, opts?: CaloSessionOptions): Promise<CalorimeterSession> {
  return new CalorimeterSession(design, opts).init()
}

