// A muography optimisation session: the design, the panel parameters, the optimiser, the hard-panel validation
// and the best design found. The worker and the CLI both drive this (through ../session.ts).
import type { AbsorptionObservations } from './absorption'
import { absorptionObservations, absorptionSeen, absorptionUsed, entryResolution, panelsNow, traceEntryLines, traceEntryLinesGpu, type EntryPaths, type PanelsSeen } from './absorption-data'
import { absorptionFisherConstants, absorptionFisherConstantsGpu, absorptionFisherConstantsResident, absorptionInformation, type AbsorptionFisherConstants } from './absorption-fisher'
import { overLimitPenalty } from '../core/limits'
import { GroupedAdam } from '../core/optimizer'
import { deriveSeed } from '../core/rng'
import { readBack, tf } from '../core/tensor'
import type { MuographyDesign } from '../design/schema'
import type {
  LossParts, PanelPatch, PanelState, Session, SessionConfigPatch, Snapshot, StepOptions, StepResult, TrackSample, VolumeView,
} from '../session-types'
import { stepResult } from '../session-types'
import { clampInto, panelBounds, type PanelBounds } from './bounds'
import { budgetTermPlain, budgetTerm, costTensor } from './cost'
import type { Explanation, PanelGradient } from '../explain-types'
import type { EmResult } from './em'
import { fisherConstants, fisherLoss } from './fisher'
import { pathTensors, type PathTensors } from './path-tensors'
import { pocaOfLines, type LinePair, type PathMatrix } from './paths'
import { tracePaths } from './path-blocks'
import { createPanelParams, type PanelParams } from './panels'
import {
  disposeTruthTerm, observationsFrom, observationTensors, observeBatch, panelTerm, queueSimulationOnGpu, reconstructBatch, simulate,
  simulateOnGpu, solveMapOnGpu, solveX0, solveX0OnGpu, startSimulation, truthLines, truthStacks, startTruthScattering, type TruthTerm,
  type QueuedSimulation, type Observations, type PanelScatteringC, type SimBatch, type StackTensors, type TapeReco, type X0Options,
} from './pipeline'
import { queueMapOnGpu, x0ConstantsOnGpu, type X0ConstantsGpu } from './solve-from-tensors'
import { buildVolume } from './volume'
import { voxelMeasurement, type VoxelMeasurement } from './voxel-measurement'
import { lambdaFloor, logX0Error, logX0ErrorPlain, unrolledEm } from './x0-loss'
import type { VoxelVolume } from './types'
import { timed, timedAsync } from '../core/phases'
import { webgpuDevice } from '../gpu/device'
import { tracePathsOnGpu } from '../gpu/paths'
import { truthLinesGpu, type GpuLines } from '../gpu/track-lines'
import { liveTracks, type QueuedBehind } from './sim-gpu'
import { traceEntryTracksGpu, type EntryTrace } from './entry-paths-gpu'
import { fisherOnGpu } from '../gpu/momentum-derivative'
import { entryCount, isResident, residentPathTensors, traceResidentGpu, type ResidentPaths } from '../gpu/path-resident'
import type { ResidentAbsorption } from '../gpu/absorption'
import { Ahead } from '../parallel/ahead'

export interface HistoryPoint {
  step: number
  loss: number | null
  task: number | null
  /** what the loss adds to the task (total − task) */
  cost: number | null
  validation: number | null
}

export interface X0Constants {
  paths: PathMatrix
  em: EmResult
  /** the scattering constants at the stacks at the EM solution (the panels' term of e is rebuilt from them on the tape) */
  panelC: PanelScatteringC
  /** the fitted observations the EM solution was computed from (its core weights refer to them) */
  obs: Observations
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

/** a step's true and entry paths on webgpu, traced behind its simulation (pathsBehind) */
interface PathsBehind {
  truth?: Promise<PathMatrix | ResidentPaths>
  entry?: EntryTrace
}

/** what a batch queued ahead on webgpu is made from: its size and seed, and whether its true paths were traced */
function gpuAheadKey(n: number, seed: number, fisher: boolean): string {
  return `${n}:${seed}:${fisher}`
}

/** the unit of the technology's cost_per_m2 × m² (the design's price unit) */
const COST_UNIT = 'cost'

/** EM iterations unrolled on the tape for the sampled (x0) task term */
const TAPE_EM_ITERATIONS = 2
// more iterations amplify noise (the ill-posed depth direction): 20 balances ladle-furnace (fewer is better)
// against u-lorry (more is better); see docs/physics-inference.md
const EM_ITERATIONS_COLD = 20
const EM_ITERATIONS_WARM = 10
/** the x0 loss's tape on webgpu sizes its fitted paths' columns this much above the last step's entries: the panels
 *  moved since, and a count above the size costs the step again */
const FITTED_MARGIN = 1.1

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
  /** the last step's batch and observations when its map was not solved (solveMap) */
  private unsolved: { batch: SimBatch; lines: LinePair; obs: Observations; panels: PanelsSeen } | null = null
  private absorptionConstants = new WeakMap<SimBatch, AbsorptionFisherConstants>()
  /** a batch's inner entry lines, traced once for both absorption terms: on webgpu, a trace left there
   *  (entry-paths-gpu.ts), else the path matrix */
  private entryTraces = new WeakMap<SimBatch, EntryTrace | Promise<EntryPaths>>()
  private lastGradient: Record<string, PanelGradient> | null = null
  /** the next step's batch, being simulated on the kernel threads (simulateAhead), keyed by its size and seed */
  private ahead = new Ahead<(panelZ: ArrayLike<number>) => SimBatch>()
  /** on webgpu, the next step's batch queued behind this step's loss with its paths traced behind it (queueAheadGpu) */
  private gpuAhead: { key: string; queued: QueuedSimulation; behind: PathsBehind } | null = null
  /** on webgpu, the x0 loss's fitted paths' entries per muon at its last step: they size the next tape's path columns
   *  before their count comes back */
  private fittedPerMuon: number | null = null
  readonly history: HistoryPoint[] = []
  best: { step: number; validation: number; panels: PanelState[] } | null = null
  /** the panels the run started from (edits before the first step included): what a Reset returns to */
  private startPanels: PanelState[]

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
    // from the design, not read back from the float32 variables: a value on a bound stays on it (0.2 m, not
    // 0.20000000298 m, which the validator would put outside a stack that ends at 0.2 m)
    const ps = design.detector.panels
    this.values = {
      xy: Float64Array.from(ps.flatMap((p) => [p.x, p.y])),
      z: Float64Array.from(ps, (p) => p.z),
      span: Float64Array.from(ps.flatMap((p) => [p.span_x, p.span_y])),
    }
    this.startPanels = this.panelStates()
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

  private writeVariables(): void {
    this.panels.setValues(this.values)
  }

  currentCost(): number {
    let c = 0
    const costs = this.panels.costValues
    for (let i = 0; i < this.values.z.length; i++) c += costs[i] * this.values.span[2 * i] * this.values.span[2 * i + 1]
    return c
  }

  private async emInference(
    batch: SimBatch, lines: LinePair, obs: Observations, warm: boolean, panels: PanelsSeen = this.panels,
  ): Promise<Omit<X0Constants, 'obs'>> {
    return this.solveX0(batch, lines, obs, await this.x0Options(batch, warm, panels))
  }

  /** an X0 solve's options: warm from the last map, or cold, with the absorption term of the muons through `panels` */
  private async x0Options(batch: SimBatch, warm: boolean, panels: PanelsSeen): Promise<X0Options> {
    return { ...this.emStart(warm), absorption: await this.absorption(batch, panels) }
  }

  /** an X0 solve's start: warm from the last map when asked and there is one, else cold */
  private emStart(warm: boolean): { iterations: number; init?: Float64Array } {
    return warm && this.lambdaPred ? { iterations: EM_ITERATIONS_WARM, init: this.lambdaPred } : { iterations: EM_ITERATIONS_COLD }
  }

  /** an X0 solve; its EM iterations run on the GPU when tfjs computes on webgpu */
  private solveX0(batch: SimBatch, lines: LinePair, obs: Observations, opts: Parameters<typeof solveX0>[4]): Promise<Omit<X0Constants, 'obs'>> {
    const device = webgpuDevice()
    if (device) return solveX0OnGpu(device, batch, this.volume, lines, obs, opts)
    return Promise.resolve(solveX0(batch, this.volume, lines, obs, opts))
  }

  /** the absorption term's constants of the Fisher task term for a batch, when the design asks for it: made on the
   *  GPU from a trace left there, on each call (the caller disposes them with the truth term), else once per batch */
  private async absorptionFisher(batch: SimBatch): Promise<AbsorptionFisherConstants | null> {
    if (!absorptionUsed(this.design)) return null
    const entry = { ...batch.entry, resolution: entryResolution(this.design) }
    const device = webgpuDevice(), trace = this.entryTrace(batch)
    if (device && 'sized' in trace) {
      const { lines, walked } = await trace.sized
      if (walked) return absorptionFisherConstantsResident(device, this.lambdaTrue, entry, lines, walked)
    }
    let k = this.absorptionConstants.get(batch)
    if (!k) {
      const traced = await this.tracedEntryLines(batch)
      k = device
        ? await absorptionFisherConstantsGpu(device, this.lambdaTrue, entry, traced)
        : absorptionFisherConstants(this.volume, batch.tracks, this.lambdaTrue, entry, traced)
      this.absorptionConstants.set(batch, k)
    }
    return k
  }

  /** the absorption term's observations of a batch (hard panels, where `panels` has them), when the design asks for it */
  private async absorption(batch: SimBatch, panels: PanelsSeen = this.panels): Promise<AbsorptionObservations | null> {
    if (!absorptionUsed(this.design)) return null
    return absorptionObservations(batch, this.volume, panels, entryResolution(this.design), await this.tracedEntryLines(batch))
  }

  /** a batch's inner entry lines traced (on the GPU when tfjs computes on webgpu: from the simulation's buffers while
   *  they hold the batch, with the crossing walk under the true densities; a step's are traced behind its simulation) */
  private entryTrace(batch: SimBatch): EntryTrace | Promise<EntryPaths> {
    let t = this.entryTraces.get(batch)
    if (!t) {
      const device = webgpuDevice(), live = liveTracks(batch.gpuTracks)
      if (!device) t = Promise.resolve(traceEntryLines(this.volume, batch.tracks))
      else t = live ? traceEntryTracksGpu(device, this.volume, live.tracks, batch.tracks.n, this.lambdaTrue) : traceEntryLinesGpu(device, this.volume, batch.tracks)
      this.entryTraces.set(batch, t)
    }
    return t
  }

  /** a batch's inner entry lines and their path matrix on the CPU */
  private tracedEntryLines(batch: SimBatch): Promise<EntryPaths> {
    const t = this.entryTrace(batch)
    return 'sized' in t ? t.paths() : t
  }

  /** the task term on the tape: Fisher information on the truth paths, or the X0 error through unrolled EM (k) */
  private taskTerm(r: TapeReco, batch: SimBatch, truth: TruthTerm | null, k: X0Constants | X0ConstantsGpu | null, s: number): tf.Scalar {
    if (truth) {
      // the momentum along the true paths under the true densities, and the panels' scattering for it
      const { paths } = truth
      const e = tf.add(r.e, panelTerm(batch, this.panels, truthStacks(truth))) as tf.Tensor1D
      const abs = truth.absorption
      const extra = abs ? absorptionInformation(this.panels, abs, 'smooth', s) : undefined
      // paths left on the GPU come with the GPU's constants (truthTerm)
      const constants = truth.gpu?.constants ?? (isResident(paths) || !truth.scattering ? null : fisherConstants(paths, this.lambdaTrue, truth.scattering()))
      if (!constants) throw new Error('the true paths on the GPU have no Fisher constants')
      return fisherLoss(isResident(paths) ? residentPathTensors(paths) : pathTensors(paths), constants, r.w, e, extra)
    }
    if (!k) throw new Error('the x0 task term needs the EM solution')
    // the solution's c, its momenta at the stacks and its core probabilities, as constants on the tape: where the
    // GPU left them (x0OnGpu), or from the CPU's numbers
    if ('solution' in k) {
      const { solution: sol, fitW } = k
      const core = tf.where(tf.greater(fitW, 0), tf.div(sol.weight, fitW), tf.zerosLike(fitW)) as tf.Tensor1D
      return this.x0Term(r, batch, residentPathTensors(k.paths), sol, core, sol.lambda)
    }
    const { em, obs: fit } = k
    const core = tf.tensor1d(Float32Array.from(em.weight, (v, i) => (fit.w[i] > 0 ? v / fit.w[i] : 0)))
    const c = { ...k.panelC, c: tf.tensor1d(Float32Array.from(em.c)) }
    return this.x0Term(r, batch, pathTensors(k.paths), c, core, Float32Array.from(em.lambda))
  }

  /** the x0 task term: the X0 error of the EM's λ unrolled on the tape from the solution's start, with its c, the
   *  scattering constants at the stacks and the core probabilities */
  private x0Term(
    r: TapeReco, batch: SimBatch, paths: PathTensors, k: (PanelScatteringC | StackTensors) & { c: tf.Tensor1D }, core: tf.Tensor1D,
    start: Float32Array | tf.Tensor1D,
  ): tf.Scalar {
    const ePanel = panelTerm(batch, this.panels, k)
    const obs = { m: r.m, e: tf.add(r.e, ePanel) as tf.Tensor1D, w: tf.mul(r.w, core) as tf.Tensor1D, c: k.c }
    const lam = unrolledEm(paths, obs, start, TAPE_EM_ITERATIONS)
    return logX0Error(lam, tf.tensor1d(Float32Array.from(this.lambdaTrue)), lambdaFloor(this.volume.voxel))
  }

  /** the training loss of the current panels on `batch` (task + weight × budget term), its parts and its
   *  gradient; the x0 task's path matrix and EM start are constants (no gradient flows through them). With
   *  `observe`, also the observations of the taped reconstruction (observeBatch's, read back in the same transfer):
   *  the Fisher task term needs no EM solution, so a step reconstructs once and solves the EM afterwards. `next`:
   *  work queued on the GPU once this step's is (the next step's batch). The caller disposes the truth term's
   *  constants. */
  private async lossAndGradient(
    batch: SimBatch, s: number, truth: TruthTerm | null, k: X0Constants | X0ConstantsGpu | null,
    grad: (f: () => tf.Scalar, vars: tf.Variable[]) => { value: tf.Scalar; grads: tf.NamedTensorMap },
    observe = false, traceMap = false, next?: () => void,
  ): Promise<{
    total: number; parts: Record<string, number>; xy: Float32Array; z: Float32Array; span: Float32Array
    observed?: { lines: LinePair; obs: Observations }; map?: Promise<{ nnz: number; lambda: Float64Array }>
    /** the EM's λ, when the GPU's solution gave the x0 task term its constants */
    lambda?: Float64Array
    /** the fitted paths' entry count, when the tape's columns were sized by a guess */
    entries?: number
  }> {
    const withBudget = this.cfg.budget !== null
    // the automatic cost weight is the first finite task value: it must be known before the loss is built
    if (withBudget && this.cfg.costWeight === 'auto' && this.resolvedCostWeight === null) {
      const t = tf.tidy(() => this.taskTerm(reconstructBatch(batch, this.volume, this.panels, 'smooth', s), batch, truth, k, s))
      this.costWeightFor((await readBack([t]))[0][0])
      t.dispose()
    }
    const weight = this.costWeightFor(NaN)
    // on webgpu the map is queued from the observations where they lie, and its λ read with the loss. They lie on
    // the GPU when the reconstruction took its inputs from the simulation's buffers: tfjs computes an op of small
    // inputs all held on the CPU there (WEBGPU_CPU_FORWARD), and its output has no buffer
    const device = webgpuDevice()
    const mapInputs = device && traceMap && observe && liveTracks(batch.gpuTracks) ? await this.residentMapInputs(batch) : null
    const kept: tf.Tensor[] = [], observations: tf.Tensor[] = []
    const { value, grads } = grad(() => {
      const r = reconstructBatch(batch, this.volume, this.panels, 'smooth', s)
      if (observe) observations.push(...observationTensors(r).map((t) => tf.keep(t)))
      const task = this.taskTerm(r, batch, truth, k, s)
      const cost = costTensor(this.panels.span, this.panels.costPerM2)
      kept.push(tf.keep(task), tf.keep(cost))
      if (withBudget && weight > 0) {
        const b = budgetTerm(cost, this.cfg.budget!)
        kept.push(tf.keep(b))
        return tf.add(task, tf.mul(weight, b)) as tf.Scalar
      }
      return task
    }, [this.panels.xy, this.panels.z, this.panels.span])
    const gradList = [grads[this.panels.xy.name], grads[this.panels.z.name], grads[this.panels.span.name]]
    const map = device && mapInputs ? queueMapOnGpu(device, batch, this.volume, observations, mapInputs.opts, mapInputs.absorption) : undefined
    if (map) this.releaseEntries(batch)
    // its failure reaches the step, which awaits it after the loss
    map?.catch(() => undefined)
    // the map, where the x0 task term took the EM's solution from the GPU, with its fitted paths' entry count where
    // the tape's columns were sized by a guess
    const count = k && 'solution' in k && k.paths.count ? tf.cast(entryCount(k.paths.count), 'float32') : null
    const solved = k && 'solution' in k ? [k.solution.lambda, ...(count ? [count] : [])] : []
    // the read submits the work queued so far: the next step's batch queued now runs behind it, and its read-back
    // waits with this one
    const reading = readBack([value, ...gradList, ...kept, ...observations, ...solved])
    next?.()
    const read = await reading
    const [[total], xy, z, span, [taskV], [costV], budgetRead] = read.slice(0, 4 + kept.length)
    this.costWeightFor(taskV)
    tf.dispose([value, ...gradList, ...kept, ...observations, ...(count ? [count] : [])])
    const parts: Record<string, number> = { task: taskV, cost: costV }
    if (budgetRead) parts.budget = budgetRead[0] * (this.resolvedCostWeight ?? 0)
    const observed = observe ? observationsFrom(read.slice(4 + kept.length, 4 + kept.length + observations.length), this.volume) : undefined
    const at = 4 + kept.length + observations.length
    const lambda = solved.length ? Float64Array.from(read[at]) : undefined
    return { total, parts, xy, z, span, observed, map, lambda, entries: count ? read[at + 1][0] : undefined }
  }

  private panelGradients(xy: ArrayLike<number>, z: ArrayLike<number>, span: ArrayLike<number>): Record<string, PanelGradient> {
    const out: Record<string, PanelGradient> = {}
    this.design.detector.panels.forEach((p, i) => {
      out[p.id] = { x: xy[2 * i], y: xy[2 * i + 1], z: z[i], span_x: span[2 * i], span_y: span[2 * i + 1] }
    })
    return out
  }

  /**
   * The training loss of the current panels on the batch of step `stepNumber` (same seed, same smoothness), its
   * gradient per panel parameter, and how well each voxel is measured. Nothing changes in the session. For the x0
   * loss the path matrix and EM start are constants of the loss (as in a step, but from a cold EM start); pass
   * `constants` from an earlier call to evaluate the same function at other panel positions (finite differences).
   */
  async explain(constants?: X0Constants): Promise<MuographyExplanation> {
    const batch = await this.simulate(this.cfg.muons, deriveSeed(this.cfg.seed, 'step', this.stepCount), 'train')
    const s = this.smoothness()
    const truthPaths = await this.tracePaths(truthLines(batch.tracks, this.volume))
    // the Fisher task term's constants on the true paths serve the voxels' measurement too
    const term = await this.truthTerm(truthPaths, batch)
    const truth = this.cfg.loss === 'fisher' ? term : null
    let k = constants ?? null
    // the Fisher term needs no EM solution
    if (!k && !truth) {
      const { lines, obs } = await observeBatch(batch, this.volume, this.panels, 'smooth', s)
      k = { ...await this.emInference(batch, lines, obs, false), obs }
    }
    try {
      const g = await this.lossAndGradient(batch, s, truth, k, (f, vars) => tf.variableGrads(f, vars))
      const voxels = await voxelMeasurement(term, batch, this.lambdaTrue, this.volume, this.panels)
      return { loss: g.total, parts: g.parts, gradient: this.panelGradients(g.xy, g.z, g.span), voxels, constants: truth ? null : k }
    } finally {
      disposeTruthTerm(term)
    }
  }

  /** a batch at the panels' current heights, timed as the phase 'simulate'; it is simulated on the GPU when tfjs
   *  computes on webgpu (a phase of its own there: sim-gpu.ts) */
  private simulate(n: number, seed: number, label: string, behind?: QueuedBehind): Promise<SimBatch> {
    const device = webgpuDevice()
    if (device) return simulateOnGpu(device, this.design, this.volume, this.panels, n, seed, label, this.values.z, behind)
    const ahead = label === 'train' ? this.ahead.take(`${n}:${seed}`) : null
    if (ahead) return Promise.resolve(timed('simulate', () => ahead(this.values.z)))
    return Promise.resolve(timed('simulate', () => simulate(this.design, this.volume, this.panels, n, seed, label, this.values.z)))
  }

  /** Start the next step's batch on the kernel threads (parallel/ahead.ts): the step then finds it simulated
   *  (simulate above; the same batch, whenever it is made) */
  private simulateAhead(): void {
    const n = this.cfg.muons, seed = deriveSeed(this.cfg.seed, 'step', this.stepCount + 1)
    this.ahead.start(`${n}:${seed}`, () => startSimulation(this.design, this.volume, this.panels, n, seed, 'train'))
  }

  /** the Fisher term's constants of a batch: the momentum model with its derivative on the true paths under the
   *  true densities and the constants made from it, on the GPU when tfjs computes on webgpu (left there as tensors,
   *  with the absorption term's: nothing is read back before the loss) */
  private async truthTerm(paths: PathMatrix | ResidentPaths, batch: SimBatch): Promise<TruthTerm> {
    const device = webgpuDevice()
    const gpu = device && fisherOnGpu(device, paths, this.lambdaTrue, batch.entry)
    if (gpu) return { paths, scattering: null, gpu, absorption: await this.absorptionFisher(batch) }
    // pathsBehind leaves only paths with entries on the GPU, and those always get the GPU's constants
    if (isResident(paths)) throw new Error('the true paths on the GPU have no Fisher constants')
    // the pool threads work on the momentum model while this thread goes on (the absorption term's constants, the
    // taped reconstruction), until the task term needs it
    const scattering = startTruthScattering(paths, this.lambdaTrue, batch)
    return { paths, scattering, gpu: null, absorption: await this.absorptionFisher(batch) }
  }

  /** On webgpu, queue the next step's batch behind this step's work (lossAndGradient's `next`), with its paths traced
   *  behind it as a step's own simulation has them (pathsBehind): its read-back waits with this step's loss, and the
   *  next step takes it (takeAheadGpu) */
  private queueAheadGpu(device: GPUDevice): void {
    this.dropAheadGpu()
    const n = this.cfg.muons, seed = deriveSeed(this.cfg.seed, 'step', this.stepCount + 1), fisher = this.cfg.loss === 'fisher'
    const behind: PathsBehind = {}
    const queued = queueSimulationOnGpu(device, this.design, this.volume, this.panels, n, seed, 'train', this.pathsBehind(device, n, fisher, behind))
    // the traces of a batch that no step takes fail unobserved
    behind.truth?.catch(() => undefined)
    behind.entry?.sized.catch(() => undefined)
    this.gpuAhead = { key: gpuAheadKey(n, seed, fisher), queued, behind }
  }

  /** the batch queued for a step of `key` (queueAheadGpu), at the panels' heights now, with its paths; null when
   *  there is none, or when a simulation since (an explanation's) has rewritten its buffers */
  private takeAheadGpu(key: string): { batch: Promise<SimBatch>; behind: PathsBehind } | null {
    const a = this.gpuAhead
    if (!a || a.key !== key || !liveTracks(a.queued.gpu)) {
      this.dropAheadGpu()
      return null
    }
    this.gpuAhead = null
    return { batch: a.queued.take(this.values.z), behind: a.behind }
  }

  private dropAheadGpu(): void {
    this.gpuAhead?.behind.entry?.release()
    this.gpuAhead = null
  }

  /** whether this step is followed by the first validation, whose simulation would rewrite a batch queued ahead */
  private validatesFirst(): boolean {
    return !this.validationBatch && (this.stepCount + 1) % this.design.optimizer.validation_every === 0
  }

  /** On webgpu, a Fisher step's true paths, traced behind its simulation (sim-gpu.ts QueuedBehind) from lines made
   *  where the simulation left the tracks (gpu/track-lines.ts), their size read back in its wait, and left there (their
   *  momentum model and constants, and the tape's path tensors, read them where they lie: gpu/path-resident.ts) unless
   *  no path crosses the volume; so are the entry lines' paths with their crossing energies, for the absorption
   *  term's constants and the X0 solve's absorption term (entry-paths-gpu.ts); the x0 loss's step traces those alone.
   *  The true paths are taken once both sizes are back, as the truth term needs both. */
  private pathsBehind(device: GPUDevice, n: number, fisher: boolean, out: PathsBehind): QueuedBehind {
    return (gpu) => {
      const truth = fisher ? this.traceTruthGpu(device, truthLinesGpu(device, this.volume, gpu.tracks, n)) : null
      const entry = absorptionUsed(this.design) ? traceEntryTracksGpu(device, this.volume, gpu.tracks, n, this.lambdaTrue) : null
      if (truth) out.truth = entry ? Promise.all([truth, entry.sized]).then(([t]) => t) : truth
      if (entry) out.entry = entry
    }
  }

  private async traceTruthGpu(device: GPUDevice, lines: GpuLines): Promise<PathMatrix | ResidentPaths> {
    const resident = await traceResidentGpu(device, this.volume, lines)
    return resident.nnz > 0 ? resident : tracePathsOnGpu(device, this.volume, lines)
  }

  /** the path matrix of lines through the volume, traced on the GPU when tfjs computes on webgpu */
  private tracePaths(lines: LinePair): Promise<PathMatrix> {
    const device = webgpuDevice()
    if (device) return tracePathsOnGpu(device, this.volume, lines)
    return Promise.resolve(tracePaths(this.volume, lines))
  }

  /** the EM solve of a step's batch (warm, from the last map): the predicted X0 map, and the x0 loss's constants.
   *  `panels`: where the panels were for the batch, as the absorption term sees them (default: where they are) */
  private async solveMapOf(
    batch: SimBatch, { lines, obs, panels }: { lines: LinePair; obs: Observations; panels?: PanelsSeen },
  ): Promise<Omit<X0Constants, 'obs'>> {
    const k = await timedAsync('paths + EM', () => this.emInference(batch, lines, obs, true, panels))
    this.lambdaPred = k.em.lambda
    return k
  }

  /** Solve the predicted X0 map on the last step's batch when that step left it (StepOptions.x0). */
  solveMap(): Promise<void> {
    return this.solveUnsolved()
  }

  /** the x0 loss's constants of a step on webgpu (solve-from-tensors.ts x0ConstantsOnGpu): its smooth reconstruction's
   *  tensors where they lie, the EM solved from them as the map's solve is (residentMapInputs), the fitted paths'
   *  columns sized by the last step's entries per muon (their count is then read with the loss); null where that
   *  cannot be (the CPU's solve then gives them) */
  private async x0OnGpu(device: GPUDevice, batch: SimBatch, s: number): Promise<X0ConstantsGpu | null> {
    const inputs = await this.residentMapInputs(batch)
    if (!inputs) return null
    const observed = tf.tidy(() => observationTensors(reconstructBatch(batch, this.volume, this.panels, 'smooth', s)))
    const guess = this.fittedPerMuon ? Math.ceil(FITTED_MARGIN * this.fittedPerMuon * batch.tracks.n) : undefined
    let k: X0ConstantsGpu | null = null
    try {
      k = await x0ConstantsOnGpu(device, batch, this.volume, observed, inputs.opts, inputs.absorption, guess)
      return k
    } finally {
      // the constants keep w
      tf.dispose(observed.filter((t) => t !== k?.fitW))
    }
  }

  /** what the map's solve beside a step's loss takes from the CPU (solve-from-tensors.ts queueMapOnGpu): the EM's start, warm
   *  from the last map, and the absorption term's observations of the muons through the panels where they are, with
   *  the batch's entry trace left on the GPU. Null when the trace was not (the map is then solved after the loss) */
  private async residentMapInputs(batch: SimBatch): Promise<{ opts: { iterations: number; init?: Float64Array }; absorption: ResidentAbsorption | null } | null> {
    const opts = this.emStart(true)
    if (!absorptionUsed(this.design)) return { opts, absorption: null }
    const trace = this.entryTrace(batch)
    const sized = 'sized' in trace ? await trace.sized : null
    if (!sized?.walked) return null
    return { opts, absorption: { seen: absorptionSeen(batch, this.panels, entryResolution(this.design), sized.lines), rows: sized.walked.rows } }
  }

  /** a step's map queued beside its loss (queueMapOnGpu): its λ, or the map solved after the loss where none was
   *  queued or no fitted path crossed the volume */
  private async mapOf(queued: Promise<{ nnz: number; lambda: Float64Array }> | undefined): Promise<void> {
    const r = queued && await timedAsync('paths + EM', () => queued)
    if (!r || r.nnz === 0) return this.solveUnsolved()
    this.lambdaPred = r.lambda
    this.unsolved = null
  }

  /** the GPU's readers of the batch's entry trace are queued: its entries need not come back (entry-paths-gpu.ts),
   *  and a solve that asks for them later (the map's, where no fitted path crossed the volume) traces the lines again */
  private releaseEntries(batch: SimBatch): void {
    const trace = this.entryTraces.get(batch)
    if (trace && 'sized' in trace) trace.release()
    this.entryTraces.delete(batch)
  }

  private async solveUnsolved(): Promise<void> {
    const u = this.unsolved
    if (!u) return
    this.unsolved = null
    // the map alone: on webgpu the fitted lines' path matrix stays on the GPU (pipeline.ts solveMapOnGpu)
    const device = webgpuDevice()
    const em = device && await timedAsync('paths + EM', async () =>
      solveMapOnGpu(device, u.batch, this.volume, u.lines, u.obs, await this.x0Options(u.batch, true, u.panels)))
    if (em) this.lambdaPred = em.lambda
    else await this.solveMapOf(u.batch, u)
  }

  async step(opts: StepOptions = {}): Promise<StepResult> {
    const seed = deriveSeed(this.cfg.seed, 'step', this.stepCount)
    const fisher = this.cfg.loss === 'fisher', n = this.cfg.muons, device = webgpuDevice()
    const ahead = device && this.takeAheadGpu(gpuAheadKey(n, seed, fisher))
    const behind: PathsBehind = ahead ? ahead.behind : {}
    const batch = await (ahead ? ahead.batch : this.simulate(n, seed, 'train', device ? this.pathsBehind(device, n, fisher, behind) : undefined))
    if (behind.entry) this.entryTraces.set(batch, behind.entry)
    const s = this.smoothness()
    const truthPaths = fisher
      ? await timedAsync('paths', async () => behind.truth ?? tracePaths(this.volume, truthLines(batch.tracks, this.volume)))
      : null
    const gradient = (k: X0Constants | X0ConstantsGpu | null, observe: boolean, traceMap = false) => timedAsync('loss + gradient', async () => {
      // the truth term's momentum model goes to the kernel threads first, as the tape needs it first
      const truth = truthPaths && await this.truthTerm(truthPaths, batch)
      this.simulateAhead()
      try {
        const next = device && !this.validatesFirst() ? () => this.queueAheadGpu(device) : undefined
        return await this.lossAndGradient(batch, s, truth, k, (f, vars) => this.computeGradients(f, vars), observe, traceMap, next)
      } finally {
        if (truth) disposeTruthTerm(truth)
      }
    })
    let g: Awaited<ReturnType<typeof gradient>>
    if (truthPaths) {
      // the Fisher term needs no EM solution: one taped reconstruction gives the gradient and the EM's observations,
      // and the EM solves the map only when the host asks for it (solveMap solves it later on this batch)
      const map = opts.x0 !== false
      g = await gradient(null, true, map)
      this.lastLines = g.observed!.lines
      // the absorption term sees the muons through the panels as they were for this batch (the update moves them)
      this.unsolved = { batch, ...g.observed!, panels: panelsNow(this.panels) }
      if (map) await this.mapOf(g.map)
    } else {
      this.unsolved = null
      // on webgpu the EM's solution stays there for the tape, and the map comes back with the loss
      const onGpu = device && liveTracks(batch.gpuTracks) ? await timedAsync('paths + EM', () => this.x0OnGpu(device, batch, s)) : null
      if (onGpu) {
        this.releaseEntries(batch)
        try {
          g = await gradient(onGpu, true)
        } finally {
          tf.dispose([...Object.values(onGpu.solution), onGpu.fitW])
        }
        const entries = g.entries ?? onGpu.paths.nnz
        // columns sized by a guess that held fewer entries than the paths have, or paths with none: the step again,
        // waiting for the count (with none, the CPU's solve gives the constants)
        if (onGpu.paths.count && !(entries > 0 && entries <= onGpu.paths.nnz)) {
          this.fittedPerMuon = null
          this.dropAheadGpu()
          return this.step(opts)
        }
        this.fittedPerMuon = entries / n
        this.lastLines = g.observed!.lines
        this.lambdaPred = g.lambda!
      } else {
        const observed = await timedAsync('reconstruct', () => observeBatch(batch, this.volume, this.panels, 'smooth', s))
        this.lastLines = observed.lines
        g = await gradient({ ...await this.solveMapOf(batch, observed), obs: observed.obs }, false)
      }
    }
    const { total } = g
    this.lastGradient = this.panelGradients(g.xy, g.z, g.span)
    this.lastBatch = batch
    this.stepCount++
    let skipped = !Number.isFinite(total)
    if (skipped) this.opt.skippedSteps++
    else {
      const rep = this.opt.step(this.values, { xy: g.xy, z: g.z, span: g.span }, { ...this.bounds })
      skipped = rep.skipped
      this.clamped = rep.clamped
      if (!skipped) this.writeVariables()
    }
    this.lastLoss = { total, parts: g.parts }
    let validation: number | null = null
    if (this.stepCount % this.design.optimizer.validation_every === 0) validation = await this.validate()
    const rec = stepResult({
      step: this.stepCount, loss: this.lastLoss, skipped, validation,
      detectorCost: { value: this.currentCost(), unit: COST_UNIT }, parameters: this.parameterVector(),
    })
    this.history.push({ step: rec.step, loss: rec.total, task: rec.task, cost: rec.penalties, validation: rec.validation })
    return rec
  }

  /** x, y, z, span_x, span_y per panel, in design order */
  private parameterVector(): number[] {
    const out: number[] = []
    for (const p of this.panelStates()) out.push(p.x, p.y, p.z, p.span_x, p.span_y)
    return out
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
    const metric = await this.validationMetric() + overLimitPenalty(this.currentCost(), this.cfg.budget)
    this.lastValidation = metric
    if (Number.isFinite(metric) && (!this.best || metric < this.best.validation)) {
      this.best = { step: this.stepCount, validation: metric, panels: this.panelStates() }
    }
    return metric
  }

  async validationMetric(): Promise<number> {
    const em = await this.predictX0()
    // a voxel no muon reached has no estimate: it scores as "light" (NaN → the floor), so seeing less never pays
    const lam = Float64Array.from(em.lambda, (l, j) => (em.coverage[j] > 0 ? l : NaN))
    return logX0ErrorPlain(lam, this.lambdaTrue, lambdaFloor(this.volume.voxel))
  }

  /** per-voxel X0 predicted on the validation set with hard panels (for the CLI and the UI) */
  async predictX0(): Promise<EmResult> {
    this.validationBatch ??= await this.simulate(this.design.optimizer.validation_muons, this.cfg.seed, 'validation')
    const { lines, obs } = await observeBatch(this.validationBatch, this.volume, this.panels, 'hard', 1)
    return (await this.solveX0(this.validationBatch, lines, obs, { iterations: EM_ITERATIONS_COLD, absorption: await this.absorption(this.validationBatch) })).em
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
    if (this.stepCount === 0) this.startPanels = this.panelStates()
  }

  setConfig(patch: SessionConfigPatch): void {
    const finite = (v: number, what: string, min = 0) => {
      if (!Number.isFinite(v) || v < min) throw new Error(`${what} must be a finite number ≥ ${min}`)
      return v
    }
    if (patch.learning_rates) {
      const lr = this.design.optimizer.learning_rates
      for (const [k, v] of Object.entries(patch.learning_rates)) {
        if (v === undefined || !(k in lr)) continue
        this.opt.setLearningRate(k, finite(v, `learning rate ${k}`))
        lr[k as keyof typeof lr] = v
      }
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

  exportDesign(which: 'current' | 'best' | 'start' = 'current'): MuographyDesign {
    const states = which === 'start' ? this.startPanels : which === 'best' && this.best ? this.best.panels : this.panelStates()
    const d = structuredClone(this.design)
    // the parameters live in float32: 0.2 reads back as 0.20000000298, outside a stack that ends at 0.2 m.
    // Seven significant digits are what float32 holds, and give back the design's own numbers.
    const f32 = (v: number) => Number(v.toPrecision(7))
    d.detector.panels = d.detector.panels.map((p, i) => ({
      ...p, x: f32(states[i].x), y: f32(states[i].y), z: f32(states[i].z), span_x: f32(states[i].span_x), span_y: f32(states[i].span_y),
    }))
    d.optimizer = { ...d.optimizer, muons_per_step: this.cfg.muons, loss: this.cfg.loss, budget: this.cfg.budget, cost_weight: this.cfg.costWeight }
    // a fixed smoothness is an annealing that starts and ends there
    if (this.cfg.smoothness !== null) d.optimizer.smoothness = { start: this.cfg.smoothness, end: this.cfg.smoothness }
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

  view(): VolumeView {
    const v = this.volume
    return {
      origin: [...v.origin], size: [...v.size], voxel: v.voxel, nx: v.nx, ny: v.ny, nz: v.nz,
      x0: Float32Array.from(v.x0), palette: [...v.palette], material: v.material.slice(),
    }
  }

  dispose(): void {
    this.ahead.clear()
    this.dropAheadGpu()
    this.panels.dispose()
  }
}
