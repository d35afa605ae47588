/// <reference types="@webgpu/types" />
// One pass of the muography chain: generate → propagate (no tape) → reconstruct with the panels (on the tape)
// → per-muon observations for inference (with the momentum model of momentum-model.ts). The session, the CLI and the benchmark all go through here.
import { timedAsync } from '../core/phases'
import { createRng, deriveSeed } from '../core/rng'
import { readBack, tf } from '../core/tensor'
import type { MuographyDesign } from '../design/schema'
import { absorptionForEm, type AbsorptionObservations } from './absorption'
import { anglesFromReco } from './angles'
import { generateMuons } from './flux'
import { solveScatteringDensity, type EmOptions, type EmResult, type MuonObservations } from './em'
import type { EntryMomentum, PathMomentum } from './momentum-model'
import { panelLayout, panelSumsRange, panelVariance, type PanelLayout, type PanelScatterGeometry } from './panel-material'
import type { LinePair, PathMatrix } from './paths'
import { tracePaths } from './path-blocks'
import { pathMomentumBlocks, startPathMomentum } from './momentum-blocks'
import type { PanelParams } from './panels'
import { recoInputs, reconstructInputs, referenceLines, type Reco } from './fit'
import { simulateMuons, startSimulateMuons, type SimJob } from './sim-blocks'
import { GPU_PHASE, liveTracks, queueMuonsGpu, simulateMuonsGpu, type GpuTracks, type QueuedBehind } from './sim-gpu'
import { webgpuDevice } from '../gpu/device'
import { recoInputsGpu } from '../gpu/reco-inputs'
import { solveScatteringDensityGpu, type GpuMomentum } from '../gpu/em'
import { tracePathsOnGpu } from '../gpu/paths'
import { traceResidentGpu, type ResidentPaths } from '../gpu/path-resident'
import { disposeFisherConstants, type FisherConstants } from './fisher'
import { disposeAbsorptionFisher, type AbsorptionFisherConstants } from './absorption-fisher'
import type { MuonTracks, VoxelVolume } from './types'

export interface SimBatch {
  tracks: MuonTracks
  /** N(0,1) hit noise, [N, P, 2], drawn once per muon and panel */
  noise: Float32Array
  /** the panels at the heights simulated (their order and materials) */
  layout: PanelLayout
  /** the panels' own scattering: kicks [N, P, 2] (slope units); null when the panels have no material */
  kicks: Float32Array | null
  /** 1 where the panel registered the muon (drawn at its efficiency), [N, P] */
  present: Float32Array
  /** the momentum the inference assumes at the volume's entry (momentum-model.ts) */
  entry: EntryMomentum
  /** per muon and panel g(t_j) [N, P], and per muon Σ g(t_j) b_j² over the panels above and below (panel-material.ts) */
  panelGeometry: PanelScatterGeometry
  /** muons that entered the volume and stopped in it */
  stopped: number
  /** on webgpu, the tracks where the simulation left them on the GPU (sim-gpu.ts liveTracks) */
  gpuTracks?: GpuTracks
  /** the hit noise and the kicks stayed on the GPU (noise and kicks are empty; kicks still says whether the panels
   *  have material): the batch is reconstructed only while its buffers hold it */
  noiseOnGpu?: true
}

export function volumeZ(vol: VoxelVolume): { zTop: number; zBottom: number } {
  return { zBottom: vol.origin[2], zTop: vol.origin[2] + vol.nz * vol.voxel }
}

/** number of quantiles of the flux model that stand for an unknown momentum */
const PRIOR_QUANTILES = 16

function fluxOptions(design: MuographyDesign, vol: VoxelVolume) {
  const sim = design.simulation
  return {
    model: sim.flux,
    thetaMaxDeg: sim.theta_max_deg,
    eMin: sim.energy_min_gev,
    eMax: sim.energy_max_gev,
    area: { x0: vol.origin[0], x1: vol.origin[0] + vol.size[0], y0: vol.origin[1], y1: vol.origin[1] + vol.size[1] },
    z: volumeZ(vol).zTop,
  }
}

/** mid-quantiles of the flux model's momentum spectrum, from a fixed seeded sample (not the simulated muons) */
export function priorMomenta(design: MuographyDesign, vol: VoxelVolume): Float64Array {
  const n = 20_000
  const p = Float64Array.from(generateMuons({ ...fluxOptions(design, vol), n, seed: 1, stream: 'momentum-prior' }).p).sort()
  return Float64Array.from({ length: PRIOR_QUANTILES }, (_, q) => p[Math.floor(((q + 0.5) / PRIOR_QUANTILES) * n)])
}

/**
 * Simulate n muons through the panels above, the volume and the panels below with the seed's streams (per block of
 * muons, on the kernel threads: sim-blocks.ts). panelZ: the panels' current heights (default: the design's).
 */
export function simulate(
  design: MuographyDesign, vol: VoxelVolume, panels: PanelParams, n: number, seed: number, label: string,
  panelZ: ArrayLike<number> = design.detector.panels.map((p) => p.z),
): SimBatch {
  const job = simulationJob(design, vol, panels, n, deriveSeed(seed, label), panelZ)
  return simBatch(design, vol, job, simulateMuons(job))
}

/**
 * simulate() started on the kernel threads for a batch that a later step will take, while this thread goes on. A
 * muon's draws and path do not depend on where the panels are, only the panels' scattering sums do (through their
 * heights: panel-material.ts panelSumsRange), so the returned function takes the heights at that time and gives the
 * batch simulate() would give then.
 */
export function startSimulation(
  design: MuographyDesign, vol: VoxelVolume, panels: PanelParams, n: number, seed: number, label: string,
): (panelZ: ArrayLike<number>) => SimBatch {
  // the blocks' panel sums at the design's heights are replaced at the join; the rest reads only the layout's
  // stacks and thicknesses
  const job = simulationJob(design, vol, panels, n, deriveSeed(seed, label), design.detector.panels.map((p) => p.z))
  const join = startSimulateMuons(job)
  return (panelZ) => {
    const out = join()
    const layout = panelLayout(panels, panelZ)
    panelSumsRange(layout, 0, n, out.panel)
    return simBatch(design, vol, { ...job, layout }, out)
  }
}

/** simulate(), with the generation, the panels above, the propagation and the detector's draws on `device`
 *  (sim-gpu.ts): the same batch within float32. `behind`: work to queue behind the simulation (sim-gpu.ts). A
 *  training batch is reconstructed on the GPU while its buffers hold it, so its hit noise and kicks stay there
 *  (noiseOnGpu); the validation batch, reconstructed at every validation, brings them back */
export async function simulateOnGpu(
  device: GPUDevice, design: MuographyDesign, vol: VoxelVolume, panels: PanelParams, n: number, seed: number, label: string,
  panelZ: ArrayLike<number> = design.detector.panels.map((p) => p.z), behind?: QueuedBehind,
): Promise<SimBatch> {
  const job = simulationJob(design, vol, panels, n, deriveSeed(seed, label), panelZ)
  const noise = label !== 'train'
  const { out, gpu } = await simulateMuonsGpu(device, job, behind, noise)
  return gpuBatch(design, vol, job, out, gpu, noise)
}

/** a batch queued on the GPU (queueSimulationOnGpu): its buffers, and the batch at the panels' heights when taken */
export interface QueuedSimulation {
  gpu: GpuTracks
  /** the batch at heights `panelZ`, once its read-back is back (its wait timed as GPU_PHASE); call it once */
  take(panelZ: ArrayLike<number>): Promise<SimBatch>
}

/**
 * simulateOnGpu queued now and taken later: a step queues the next step's batch behind its loss, so that their
 * read-backs wait together. As with startSimulation, only the stacks' sums Σ g b² depend on the panels' heights:
 * they are made again at the heights when the batch is taken.
 */
export function queueSimulationOnGpu(
  device: GPUDevice, design: MuographyDesign, vol: VoxelVolume, panels: PanelParams, n: number, seed: number, label: string,
  behind?: QueuedBehind,
): QueuedSimulation {
  const job = simulationJob(design, vol, panels, n, deriveSeed(seed, label), design.detector.panels.map((p) => p.z))
  const noise = label !== 'train'
  const q = queueMuonsGpu(device, job, behind, noise)
  // a batch that no step takes fails unobserved
  q.out.catch(() => undefined)
  return {
    gpu: q.gpu,
    take: async (panelZ) => {
      const out = await timedAsync(GPU_PHASE, () => q.out)
      const layout = panelLayout(panels, panelZ)
      panelSumsRange(layout, 0, n, out.panel)
      return gpuBatch(design, vol, { ...job, layout }, out, q.gpu, noise)
    },
  }
}

/** the batch of a simulation on the GPU, with its buffers */
function gpuBatch(design: MuographyDesign, vol: VoxelVolume, job: Omit<SimJob, 'out'>, out: SimJob['out'], gpu: GpuTracks, noise: boolean): SimBatch {
  return { ...simBatch(design, vol, job, out), gpuTracks: gpu, ...(noise ? {} : { noiseOnGpu: true }) }
}

function simulationJob(
  design: MuographyDesign, vol: VoxelVolume, panels: PanelParams, n: number, s: number, panelZ: ArrayLike<number>,
): Omit<SimJob, 'out'> {
  const sim = design.simulation
  const layout = panelLayout(panels, panelZ)
  return {
    n, seed: s, flux: fluxOptions(design, vol), vol, layout,
    propagate: { energyLoss: sim.energy_loss, tail: sim.tail, maxStep: sim.step_m },
    efficiency: Float64Array.from(panels.efficiencyValues), kicks: layout.thickness.some((t) => t > 0),
  }
}

/** the batch from the simulation's outputs: the momentum the inference assumes, and the muons that stopped */
function simBatch(design: MuographyDesign, vol: VoxelVolume, job: Omit<SimJob, 'out'>, out: SimJob['out']): SimBatch {
  const sim = design.simulation
  const s = job.seed
  const { tracks, noise, kicks, present, panel } = out
  let entry: EntryMomentum
  const energyLoss = sim.energy_loss
  if (sim.momentum === 'unknown') entry = { kind: 'prior', p: priorMomenta(design, vol), energyLoss }
  else if (sim.momentum === 'measured') {
    const r = createRng(s, 'momentum')
    const res = design.detector.technology.momentum_resolution
    // a measurement p(1 + σz), kept positive (a spectrometer never reports p ≤ 0)
    entry = { kind: 'point', p: Float32Array.from(tracks.p, (p) => Math.max(0.05 * p, p * (1 + res * r.normal()))), energyLoss }
  } else entry = { kind: 'point', p: Float32Array.from(tracks.p), energyLoss }
  let stopped = 0
  for (let i = 0; i < tracks.n; i++) if (!tracks.alive[i] && tracks.pOut[i] === 0) stopped++
  return { tracks, noise, layout: job.layout, kicks: job.kicks ? kicks : null, present, entry, panelGeometry: panel, stopped }
}

/** the scattering constants at the stack above (cIn) and below (cOut) that the panels' term of e was built with */
export interface PanelScatteringC {
  cIn: Float64Array
  cOut: Float64Array
}

/**
 * The inference's observations of the reconstructed muons: m, the fit's e plus the panels' scattering, w, and c
 * from the momentum model, with the `refresh` that recomputes c and e (and cIn, cOut) for densities λ (em.ts).
 */
export function observations(
  batch: SimBatch, paths: PathMatrix | ResidentPaths, fit: { m: ArrayLike<number>; e: ArrayLike<number>; w: ArrayLike<number> },
): MuonObservations & PanelScatteringC & {
  c: Float64Array; e: Float64Array; mix?: { q: number; c: Float64Array }; refresh: (lambda: Float64Array) => void
} {
  const n = batch.tracks.n
  const c = new Float64Array(n), e = Float64Array.from(fit.e), cIn = new Float64Array(n), cOut = new Float64Array(n)
  const { above, below } = batch.panelGeometry
  // an unknown momentum: the likelihood is the mixture over the prior's values (em.ts, mixtureUpdate)
  const mix = batch.entry.kind === 'prior' ? { q: batch.entry.p.length, c: new Float64Array(n * batch.entry.p.length) } : undefined
  const refresh = (lambda: Float64Array) => {
    // a matrix left on the GPU (gpu/path-resident.ts) is refreshed there (gpu/momentum.ts)
    if (!('total' in paths)) throw new Error('the momentum model of a path matrix on the GPU refreshes there')
    const pm = pathMomentumBlocks(paths, lambda, batch.entry, { perQuantile: !!mix })
    if (mix) mix.c.set(pm.cq!)
    for (let i = 0; i < n; i++) {
      c[i] = pm.c[i]
      cIn[i] = pm.cIn[i]
      cOut[i] = pm.cOut[i]
      e[i] = fit.e[i] + cIn[i] * above[i] + cOut[i] * below[i]
    }
  }
  return { m: fit.m, w: fit.w, c, e, cIn, cOut, refresh, ...(mix ? { mix } : {}) }
}

/** the scattering constants at the stacks as tensors, where the GPU made them (gpu/momentum-derivative.ts fisherOnGpu) */
export interface StackTensors {
  cIn: tf.Tensor1D
  cOut: tf.Tensor1D
}

/** The panels' term of e on the tape for the heights in `panels` (zeros for massless panels). */
export function panelTerm(batch: SimBatch, panels: PanelParams, k: PanelScatteringC | StackTensors): tf.Tensor1D {
  if (!batch.kicks) return tf.zeros([batch.tracks.n])
  return panelVariance(panels, batch.layout, batch.panelGeometry.g, k.cIn, k.cOut)
}

/** The true entry and exit lines of the simulated muons (for the detector-independent truth paths). */
export function truthLines(t: MuonTracks, vol: VoxelVolume): LinePair {
  const { zTop, zBottom } = volumeZ(vol)
  const n = t.n
  const inX = new Float32Array(n), inY = new Float32Array(n), inTx = new Float32Array(n), inTy = new Float32Array(n)
  const outX = new Float32Array(n), outY = new Float32Array(n), outTx = new Float32Array(n), outTy = new Float32Array(n)
  const use = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (!t.alive[i] || !(t.uzin[i] < 0) || !(t.uzout[i] < 0)) continue
    use[i] = 1
    inTx[i] = t.uxin[i] / t.uzin[i]
    inTy[i] = t.uyin[i] / t.uzin[i]
    inX[i] = t.xin[i] + inTx[i] * (zTop - t.zin[i])
    inY[i] = t.yin[i] + inTy[i] * (zTop - t.zin[i])
    outTx[i] = t.uxout[i] / t.uzout[i]
    outTy[i] = t.uyout[i] / t.uzout[i]
    outX[i] = t.xout[i] + outTx[i] * (zBottom - t.zout[i])
    outY[i] = t.yout[i] + outTy[i] * (zBottom - t.zout[i])
  }
  return { n, zIn: zTop, zOut: zBottom, inX, inY, inTx, inTy, outX, outY, outTx, outTy, use }
}

export interface TapeReco {
  reco: Reco
  /** θ²/2 per muon */
  m: tf.Tensor1D
  /** measurement variance of one projected angle */
  e: tf.Tensor1D
  /** detection weight (0 for muons that stopped) */
  w: tf.Tensor1D
}

/** Reconstruct on the tape (call inside tf.tidy / variableGrads). */
export function reconstructBatch(
  batch: SimBatch, vol: VoxelVolume, panels: PanelParams, mode: 'smooth' | 'hard', smoothness: number,
): TapeReco {
  const { zTop, zBottom } = volumeZ(vol)
  const opts = { mode, smoothness, zIn: zTop, zOut: zBottom }
  const kicks = batch.kicks ? { layout: batch.layout, kicks: batch.kicks } : undefined
  // on webgpu, from the simulation's buffers while they hold this batch; else from its arrays
  const device = webgpuDevice(), gpu = liveTracks(batch.gpuTracks)
  if (!(device && gpu) && batch.noiseOnGpu) {
    throw new Error('this batch\'s hit noise stayed on the GPU, where a later simulation has rewritten it: it can no longer be reconstructed')
  }
  const inputs = device && gpu
    ? recoInputsGpu(device, gpu, batch.tracks.n, panels, kicks ? batch.layout : null, zTop, zBottom)
    : recoInputs(referenceLines(batch.tracks, zTop, zBottom), panels, batch.noise, { present: batch.present, kicks })
  const reco = reconstructInputs(inputs, panels, opts)
  const ang = anglesFromReco(reco)
  // reco.weight is already 0 for muons that stopped in the volume
  return { reco, m: ang.thetaMsq, e: ang.varProj, w: reco.weight }
}

/** per-muon fit observations for the gradient-free inference (em.ts; c comes from the momentum model) */
export interface Observations {
  m: Float32Array
  e: Float32Array
  w: Float32Array
}

const LINE_KEYS = ['inX', 'inY', 'inTx', 'inTy', 'outX', 'outY', 'outTx', 'outTy'] as const

/**
 * Reconstruct without the tape and read the fitted lines and the observations back in one transfer, for the
 * gradient-free path matrix and EM solve. Where the EM solution enters the taped loss (the x0 task term), the taped
 * pass that follows recomputes the same reconstruction (the same inputs give the same numbers), because a read-back
 * is asynchronous and the gradient tape is not.
 */
export async function observeBatch(
  batch: SimBatch, vol: VoxelVolume, panels: PanelParams, mode: 'smooth' | 'hard', smoothness: number,
): Promise<{ lines: LinePair; obs: Observations }> {
  const ts = tf.tidy(() => observationTensors(reconstructBatch(batch, vol, panels, mode, smoothness)))
  const read = await readBack(ts)
  tf.dispose(ts)
  return observationsFrom(read, vol)
}

/** the tensors of a reconstruction that observeBatch reads back: w, m, e, then the fitted lines' columns */
export function observationTensors(r: TapeReco): tf.Tensor[] {
  return [r.w, r.m, r.e, ...LINE_KEYS.map((k) => r.reco[k])]
}

/** a muon's detection weight above which its fitted lines are traced for the map */
export const TRACED_WEIGHT = 1e-6

/** the fitted lines and observations from the read-back of observationTensors */
export function observationsFrom(read: Float32Array[], vol: VoxelVolume): { lines: LinePair; obs: Observations } {
  const [w, m, e, ...cols] = read
  const { zTop, zBottom } = volumeZ(vol)
  const use = new Uint8Array(w.length)
  for (let i = 0; i < w.length; i++) use[i] = w[i] > TRACED_WEIGHT ? 1 : 0
  const [inX, inY, inTx, inTy, outX, outY, outTx, outTy] = cols
  const lines = { n: w.length, zIn: zTop, zOut: zBottom, inX, inY, inTx, inTy, outX, outY, outTx, outTy, use }
  return { lines, obs: { m, e, w } }
}

/** Paths of the fitted lines and the ML/EM densities with the momentum model (em.ts, momentum-model.ts), with the
 *  absorption term of the muons seen entering when given (absorption.ts), and the scattering constants of the panels'
 *  term at the solution. */
export function solveX0(
  batch: SimBatch, vol: VoxelVolume, lines: LinePair, fit: X0Fit, opts: X0Options = {},
): { em: EmResult; paths: PathMatrix; panelC: PanelScatteringC } {
  const p = x0Problem(batch, tracePaths(vol, lines), fit, opts)
  return { em: solveScatteringDensity(p.paths, p.obs, p.opts), paths: p.paths, panelC: p.panelC }
}

/** solveX0 with the paths traced, the EM's iterations run, the momentum model refreshed and the absorption term
 *  computed on `device` (gpu/paths.ts, gpu/em.ts, gpu/momentum.ts, gpu/absorption.ts): the same densities within
 *  float32 */
export async function solveX0OnGpu(
  device: GPUDevice, batch: SimBatch, vol: VoxelVolume, lines: LinePair, fit: X0Fit, opts: X0Options = {},
): Promise<{ em: EmResult; paths: PathMatrix; panelC: PanelScatteringC }> {
  const p = x0Problem(batch, await tracePathsOnGpu(device, vol, lines), fit, opts)
  const em = await solveScatteringDensityGpu(device, p.paths, p.obs, p.opts, { momentum: gpuMomentum(batch, fit, p.obs), absorption: opts.absorption })
  return { em, paths: p.paths, panelC: p.panelC }
}

/** solveX0OnGpu for the map alone (the Fisher loss's step, whose tape needs no EM solution): the fitted lines'
 *  paths are traced and left on the GPU (gpu/path-resident.ts) and the EM's by-voxel copy is made there
 *  (gpu/path-columns.ts), so the matrix never comes back; null when no path crosses the volume */
export async function solveMapOnGpu(
  device: GPUDevice, batch: SimBatch, vol: VoxelVolume, lines: LinePair, fit: X0Fit, opts: X0Options,
): Promise<EmResult | null> {
  const paths = await traceResidentGpu(device, vol, lines, 'fitted')
  if (!paths.nnz) return null
  const p = x0Problem(batch, paths, fit, opts)
  return solveScatteringDensityGpu(device, p.paths, p.obs, p.opts, { momentum: gpuMomentum(batch, fit, p.obs), absorption: opts.absorption })
}

/** what the EM kernel needs to refresh an X0 problem's momentum model on the GPU (gpu/momentum.ts) */
export function gpuMomentum(batch: SimBatch, fit: X0Fit, obs: ReturnType<typeof observations>): GpuMomentum {
  const { above, below } = batch.panelGeometry
  return {
    inputs: { entry: batch.entry, fitE: fit.e, above, below },
    out: { c: obs.c, e: obs.e, cIn: obs.cIn, cOut: obs.cOut, mixC: obs.mix?.c },
  }
}

export type X0Fit = { m: ArrayLike<number>; e: ArrayLike<number>; w: ArrayLike<number> }
export type X0Options = Omit<EmOptions, 'refresh' | 'absorption'> & { absorption?: AbsorptionObservations | null }

/** the observations and the EM's options of an X0 solve on the path matrix of the fitted lines */
export function x0Problem<P extends PathMatrix | ResidentPaths>(batch: SimBatch, paths: P, fit: X0Fit, opts: X0Options) {
  // c and e are refreshed by the EM's first iteration (em.ts), from opts.init when given
  const obs = observations(batch, paths, fit)
  const abs = opts.absorption
  const absorption = abs ? absorptionForEm(abs, opts.init !== undefined) : undefined
  return { paths, obs, opts: { ...opts, refresh: obs.refresh, absorption }, panelC: { cIn: obs.cIn, cOut: obs.cOut } }
}

/** For the Fisher information on the true paths: the muons' scattering constants c along the paths under the true
 *  densities with their derivatives in λ, those at the stacks (cIn, cOut) for the panels' term of e (panelTerm), and
 *  for an unknown momentum the mixture likelihood's κ and ∂s/∂λ (mixture-information.ts). */
export function truthScattering(truth: PathMatrix, lambdaTrue: ArrayLike<number>, batch: SimBatch): TruthScattering {
  return startTruthScattering(truth, lambdaTrue, batch)()
}

/** truthScattering started on the pool threads: the returned function joins (once) and gives the result */
export function startTruthScattering(truth: PathMatrix, lambdaTrue: ArrayLike<number>, batch: SimBatch): () => TruthScattering {
  const join = startPathMomentum(truth, lambdaTrue, batch.entry, { derivative: true, mixture: true })
  let s: TruthScattering | null = null
  return () => (s ??= truthScatteringOf(join()))
}

export type TruthScattering = PanelScatteringC & { c: Float32Array; dc?: Float64Array; kappa?: Float64Array; ds?: Float64Array }

/** the Fisher task term's constants of a batch: the true paths, the momentum model on them, and the absorption
 *  term's (when the design asks for it) */
export interface TruthTerm {
  /** on the CPU, or left on the GPU by a step on webgpu (gpu/path-resident.ts), whose constants are then the GPU's */
  paths: PathMatrix | ResidentPaths
  /** the CPU's momentum model on them: it may still be computing on the pool threads (startTruthScattering), and the
   *  first call waits for it. Null where the GPU made the constants */
  scattering: (() => TruthScattering) | null
  /** the GPU's: the constants and the scattering constants at the stacks, as tensors (disposeTruthTerm frees them) */
  gpu: { constants: FisherConstants; stacks: StackTensors } | null
  absorption: AbsorptionFisherConstants | null
}

/** the scattering constants at the stacks of a truth term, for the panels' term (panelTerm) */
export function truthStacks(t: TruthTerm): PanelScatteringC | StackTensors {
  if (t.gpu) return t.gpu.stacks
  if (!t.scattering) throw new Error('a truth term has either the GPU\'s constants or the CPU\'s momentum model')
  return t.scattering()
}

/** free what a truth term holds on the GPU */
export function disposeTruthTerm(t: TruthTerm): void {
  if (t.gpu) {
    disposeFisherConstants(t.gpu.constants)
    tf.dispose([t.gpu.stacks.cIn, t.gpu.stacks.cOut])
  }
  disposeAbsorptionFisher(t.absorption)
}

function truthScatteringOf(tm: PathMomentum): TruthScattering {
  return { c: Float32Array.from(tm.c), dc: tm.dc, kappa: tm.kappa, ds: tm.ds, cIn: tm.cIn, cOut: tm.cOut }
}
