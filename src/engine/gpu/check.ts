/// <reference types="@webgpu/types" />
// Each GPU kernel against its CPU reference on the same inputs (the bench page runs this on the browser's WebGPU
// device, e2e/gpu-kernels.spec.ts on the software adapter): the largest difference per output, within float32
// rounding of the functions WGSL does not round correctly (exp, log, sqrt; sine and cosine are the kernels' own).
import { tf } from '../core/tensor'
import { compare, finiteFloats, largestDifference, perMuonError, randomLines, result, upload, type KernelCheck, type OutputCheck } from './check-compare'
import { checkMomentum, checkMomentumDerivative } from './check-momentum'
import { residentOutputs } from './check-resident'
import { drawShowers } from '../calorimeter/draws'
import { drawTensor } from '../calorimeter/draw-tensors'
import { createRng } from '../core/rng'
import { generateMuons, type GenerateOptions } from '../muography/flux'
import { buildPaths, rowStarts } from '../muography/paths'
import { absorptionPasses, crossingEnergyGpu } from './absorption'
import { solveScatteringDensity, type MuonObservations } from '../muography/em'
import { highlandC, highlandG } from '../muography/highland'
import { propagate, type PropagateOptions } from '../muography/propagate'
import { afterStack, kickWidths, type PanelLayout } from '../muography/panel-material'
import { detectorRange } from '../muography/detector-draws'
import { packMuons, simOutputs, TRACK_KEYS } from '../muography/sim-blocks'
import { benchDesign } from '../muography/bench-scenario'
import { createPanelParams } from '../muography/panels'
import {
  gpuMomentum, observationTensors, observeBatch, reconstructBatch, simulate, solveMapOnGpu, truthLines, x0Problem,
} from '../muography/pipeline'
import { absorptionObservations, entryResolution, traceEntryLines } from '../muography/absorption-data'
import { absorptionTerms, crossingEnergy } from '../muography/absorption'
import { buildVolume } from '../muography/volume'
import { readFloats, webgpuDevice } from './device'
import { detectorFloats, detectorGpu, drawLayout, unpackDetector } from './detector'
import { enteringGpu } from './entering'
import { generateMuonsGpu, MUON_OUTPUTS } from './muons'
import { packLines, pairs, tracePathsOnGpu } from './paths'
import { LINE_FLOATS, truthLinesGpu } from './track-lines'
import { entryOutputs } from './check-entry'
import { x0Outputs } from './check-x0'
import { queueMapOnGpu } from '../muography/solve-from-tensors'
import { recoInputOutputs } from './check-reco'
import { aheadOutputs } from './check-ahead'
import type { StackPanels } from '../muography/hits'
import { solveScatteringDensityGpu } from './em'
import { propagateGpu, readTracks, STRIDE } from './propagate'
import { drawShowersGpu, SHOWER_OUTPUTS } from './showers'

export type { KernelCheck, OutputCheck } from './check-compare'

/** float32 carries 2⁻²⁴ relative; WGSL's exp loses up to 3 + 2|x| ulp (|x| ≤ ln 500 here): ≈ 2·10⁻⁶ */
const RELATIVE = 1e-5
/** WGSL's log is specified to 2⁻²¹ absolute near 1, where √(−2 ln u) is small and steep; 2·10⁻⁵ measured on
 *  SwiftShader */
const NORMAL_ABS = 1e-4

async function checkMuons(device: GPUDevice, n: number): Promise<KernelCheck> {
  // a batch that starts past its first block: the counter offset is exercised too
  const o: GenerateOptions = { n, model: 'guan', area: { x0: -1.5, x1: 2.5, y0: -0.5, y1: 0.75 }, z: 1.2, seed: 20261204, first: 4096 }
  const t0 = performance.now()
  const buffers = generateMuonsGpu(device, o)
  const gpu = await Promise.all(MUON_OUTPUTS.map((k) => readFloats(device, buffers[k], n)))
  const t1 = performance.now()
  const cpu = generateMuons(o)
  const t2 = performance.now()
  const span = 2.5 // |x|, |y| ≤ 2.5 m here: positions compared relative to that
  const outputs = MUON_OUTPUTS.map((k, i) => k === 'p'
    ? compare(k, gpu[i], cpu[k], 'relative', RELATIVE)
    : compare(k, gpu[i], cpu[k], 'absolute', RELATIVE * (k === 'x' || k === 'y' ? span : 1)))
  return result('muons', n, outputs, t1 - t0, t2 - t1)
}

/** three panels above (2 % and 1 % X0 of plastic, one without material) and one below: only those above slow the
 *  muons (sim-blocks.ts enteringMuons) */
const ENTERING_LAYOUT: PanelLayout = {
  z: Float64Array.of(1.6, 1.5, 1.4, 0.1), stack: Int32Array.of(0, 0, 0, 1), thickness: Float64Array.of(0.02, 0.01, 0, 0.05),
  sensitivity: new Float64Array(4), sign: new Int8Array(16),
}

async function checkEntering(device: GPUDevice, n: number): Promise<KernelCheck> {
  const o: GenerateOptions = { n, model: 'guan', area: { x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 }, z: 1.2, seed: 20261205, first: 4096 }
  const t0 = performance.now()
  const gpu = await readFloats(device, enteringGpu(device, generateMuonsGpu(device, o), n, o.z, ENTERING_LAYOUT, true), 7 * n)
  const t1 = performance.now()
  const mu = generateMuons(o)
  mu.p = afterStack(ENTERING_LAYOUT, 0, mu.p, Float32Array.from(mu.uz, (u) => Math.abs(u)))
  const cpu = new Float32Array(7 * n)
  packMuons(mu, cpu)
  const t2 = performance.now()
  const field = (a: Float32Array, k: number) => a.filter((_, i) => i % 7 === k)
  // positions within 1.5 m, directions and heights as generated, the momentum after the panels relative
  const outputs = ['x', 'y', 'z', 'ux', 'uy', 'uz', 'p'].map((name, k) => k === 6
    ? compare(name, field(gpu, k), field(cpu, k), 'relative', RELATIVE)
    : compare(name, field(gpu, k), field(cpu, k), 'absolute', RELATIVE * (k < 3 ? 1.5 : 1)))
  return result('entering', n, outputs, t1 - t0, t2 - t1)
}

async function checkShowers(device: GPUDevice, S: number, L: number): Promise<KernelCheck> {
  const seeds = [101, 202, 303]
  const t0 = performance.now()
  const draws = drawShowersGpu(device, seeds, 'showers', S, L, true)
  // through the model's own path: tensors made from the kernel's buffers, read back asynchronously
  const gpu = await Promise.all(SHOWER_OUTPUTS.map(async (k) => {
    const t = drawTensor(draws, k)
    const v = await t.data() as Float32Array
    t.dispose()
    return v
  }))
  const t1 = performance.now()
  const cpu = drawShowers(seeds, 'showers', S, L, true)
  const t2 = performance.now()
  const outputs = SHOWER_OUTPUTS.map((k, i) => compare(k, gpu[i], cpu[k] ?? [], 'absolute', k === 'ux' || k === 'uy' ? 0 : NORMAL_ABS))
  return result('showers', seeds.length * S, outputs, t1 - t0, t2 - t1)
}

/** float32 geometry on metre scales: path lengths within 10⁻⁵ m. A face crossed at a grazing angle (direction
 *  cosine c across it) moves by the coordinate's rounding over c (2 of 2000 muons: 1.3·10⁻⁵ m at c ≈ 0.005), or a
 *  path grazing an edge puts a sliver in the neighbour: such muons may differ, at most 1 % of them */
const PATH_ABS = 1e-5
const PATH_MUONS_DIFFER = 0.01

async function checkPaths(device: GPUDevice, n: number): Promise<KernelCheck> {
  const vol = buildVolume({ origin: [0, 0, 0.4], size: [1, 1, 0.6], voxel: 0.1, background: 'iron', blocks: [] })
  const lines = randomLines(n)
  const t0 = performance.now()
  const gpu = await tracePathsOnGpu(device, vol, lines)
  const t1 = performance.now()
  const cpu = buildPaths(vol, lines)
  const t2 = performance.now()
  // a muon agrees when it has the same voxels, in order, with lengths within PATH_ABS
  const [gs, cs] = [rowStarts(gpu), rowStarts(cpu)]
  let differ = 0
  for (let i = 0; i < n; i++) {
    const [g0, c0] = [gs[i], cs[i]]
    let same = gs[i + 1] - g0 === cs[i + 1] - c0
    for (let j = 0; same && j < cs[i + 1] - c0; j++) {
      same = gpu.voxel[g0 + j] === cpu.voxel[c0 + j] && Math.abs(gpu.length[g0 + j] - cpu.length[c0 + j]) <= PATH_ABS
    }
    if (!same) differ++
  }
  const outputs: OutputCheck[] = [
    compare('total', gpu.total, cpu.total, 'absolute', PATH_ABS),
    { name: 'entries', maxError: differ / n, tolerance: PATH_MUONS_DIFFER, scale: 'fraction' },
    ...await residentOutputs(device, vol, lines, gpu),
  ]
  return result('paths', n, outputs, t1 - t0, t2 - t1)
}

/** float32 stepping against float64: a muon agrees when it stops or leaves on both sides, its exit (or stopping)
 *  point is within PROPAGATE_ABS (m) and, if it leaves, its direction within PROPAGATE_ABS and its momentum within
 *  PROPAGATE_REL (a stopped muon has no exit track: its last direction is never used) */
const PROPAGATE_ABS = 1e-4
const PROPAGATE_REL = 1e-4
/** muons whose float32 path crosses a threshold on the other side (a face, an acceptance test) */
const PROPAGATE_DIFFER = 0.01
/** a few float32 roundings of a slope and a point from it */
const LINES_REL = 1e-6

async function checkPropagation(device: GPUDevice, n: number): Promise<KernelCheck> {
  // iron and lead in concrete, with every physics option on: muons stop, straggle and scatter singly
  const vol = buildVolume({
    origin: [0, 0, 0.2], size: [1, 1, 0.8], voxel: 0.1, background: 'concrete',
    blocks: [{ min: [0.2, 0.2, 0.3], max: [0.6, 0.7, 0.7], material: 'lead' }, { min: [0.5, 0.1, 0.5], max: [0.9, 0.5, 0.9], material: 'iron' }],
  })
  const mu = generateMuons({ n, model: 'guan', area: { x0: -0.2, x1: 1.2, y0: -0.2, y1: 1.2 }, z: 1.0, seed: 11, first: 8192 })
  const streams = { seed: 20261205, first: 8192 }
  const opts: PropagateOptions = { energyLoss: true, tail: true }
  // the benchmark's panels, above and below the volume, for the absorption term's information
  const panels = createPanelParams(benchDesign(n).detector)
  const t0 = performance.now()
  const packed = new Float32Array(7 * n)
  packMuons(mu, packed)
  const tracks = propagateGpu(device, vol, packed, n, streams, opts)
  const gpu = await readTracks(device, tracks, n)
  const t1 = performance.now()
  const cpu = propagate(vol, mu, streams, opts)
  const t2 = performance.now()
  // the true lines made from the tracks where they lie, against truthLines of the same tracks read back: float32
  // against float64, relative to the larger of 1 and the value (positions in m, slopes); `use` exactly
  const lines = await readFloats(device, truthLinesGpu(device, vol, tracks, n).buffer, LINE_FLOATS * n)
  const want = packLines(truthLines(gpu, vol))
  let lineError = 0
  for (let k = 0; k < want.length; k++) lineError = Math.max(lineError, Math.abs(lines[k] - want[k]) / Math.max(1, Math.abs(want[k])))
  let differ = 0, pos = 0, dir = 0, mom = 0
  for (let i = 0; i < n; i++) {
    const dp = Math.max(Math.abs(gpu.xout[i] - cpu.xout[i]), Math.abs(gpu.yout[i] - cpu.yout[i]), Math.abs(gpu.zout[i] - cpu.zout[i]))
    const du = Math.max(Math.abs(gpu.uxout[i] - cpu.uxout[i]), Math.abs(gpu.uyout[i] - cpu.uyout[i]), Math.abs(gpu.uzout[i] - cpu.uzout[i]))
    const dm = Math.abs(gpu.pOut[i] - cpu.pOut[i]) / Math.max(cpu.pOut[i], 1e-30)
    const same = gpu.alive[i] === cpu.alive[i] && dp <= PROPAGATE_ABS && (cpu.alive[i] === 0 || (du <= PROPAGATE_ABS && dm <= PROPAGATE_REL))
    if (!same) { differ++; continue }
    pos = Math.max(pos, dp)
    if (cpu.alive[i]) { dir = Math.max(dir, du); mom = Math.max(mom, dm) }
  }
  const outputs: OutputCheck[] = [
    compare('p', gpu.p, cpu.p, 'relative', RELATIVE),
    { name: 'exit point', maxError: pos, tolerance: PROPAGATE_ABS, scale: 'absolute' },
    { name: 'exit direction', maxError: dir, tolerance: PROPAGATE_ABS, scale: 'absolute' },
    { name: 'exit momentum', maxError: mom, tolerance: PROPAGATE_REL, scale: 'relative' },
    { name: 'muons', maxError: differ / n, tolerance: PROPAGATE_DIFFER, scale: 'fraction' },
    { name: 'true lines', maxError: lineError, tolerance: LINES_REL, scale: 'relative' },
    ...await entryOutputs(device, vol, tracks, gpu, LINES_REL, panels),
  ]
  panels.dispose()
  return result('propagation', n, outputs, t1 - t0, t2 - t1)
}

/** six panels of 0–3 % X0 and efficiencies from 0 to 1, four above and two below */
const DETECTOR_LAYOUT: PanelLayout = {
  z: Float64Array.of(1.6, 1.5, 1.4, 1.3, 0.1, 0), stack: Int32Array.of(0, 0, 0, 0, 1, 1),
  thickness: Float64Array.of(0.02, 0.01, 0, 0.03, 0.01, 0.02), sensitivity: Float64Array.of(-0.3, -0.1, 0.1, 0.3, 0.5, -0.5),
  sign: new Int8Array(36),
}

/** the layout's panels as the reconstruction's inputs see them: their resolutions (m) and stacks */
const DETECTOR_PANELS: StackPanels = {
  n: 6, sigmaValues: Float32Array.of(1e-4, 2.5e-4, 5e-5, 1e-4, 3e-4, 1.5e-4),
  indicesOf: (stack) => (stack === 'above' ? [0, 1, 2, 3] : [4, 5]),
}

/**
 * The detector's draws for n muons propagated on the CPU through concrete with a lead block (some stop, so some
 * leave no momentum for the panels below), with the tracks and the momenta above uploaded as the kernels would
 * leave them. The kicks are compared in units of each one's width (kickWidths): the same normal within NORMAL_ABS.
 * Then a whole simulation queued at some panel heights and taken at others, as a step's next batch is (check-ahead.ts).
 */
async function checkDetector(device: GPUDevice, n: number): Promise<KernelCheck> {
  const vol = buildVolume({
    origin: [0, 0, 0.2], size: [1, 1, 0.8], voxel: 0.1, background: 'concrete',
    blocks: [{ min: [0.2, 0.2, 0.3], max: [0.8, 0.8, 0.7], material: 'lead' }],
  })
  const mu = generateMuons({ n, model: 'guan', area: { x0: -0.2, x1: 1.2, y0: -0.2, y1: 1.2 }, z: 1.0, seed: 12 })
  const layout = DETECTOR_LAYOUT, P = layout.z.length
  const job = { n, seed: 20261206, layout, efficiency: Float64Array.of(0.9, 0.5, 1, 0, 0.97, 0.8), kicks: true }
  const cpu = simOutputs(job)
  const t = propagate(vol, mu, { seed: 7 }, { energyLoss: true })
  for (const k of TRACK_KEYS) cpu.tracks[k].set(t[k])
  cpu.pAbove.set(mu.p)
  const packed = new Float32Array(STRIDE * n)
  TRACK_KEYS.forEach((k, f) => { for (let i = 0; i < n; i++) packed[STRIDE * i + f] = t[k][i] })
  const inputs = [upload(device, packed), upload(device, Float32Array.from(mu.p))]
  const t0 = performance.now()
  const draws = detectorGpu(device, job, inputs[0], inputs[1])
  const all = await readFloats(device, draws, detectorFloats(n, P))
  const t1 = performance.now()
  detectorRange({ ...job, out: cpu }, 0, n)
  const t2 = performance.now()
  const gpu = simOutputs(job)
  unpackDetector(all, n, P, gpu)
  // what a training batch reads (its hit noise and kicks stay on the GPU): the same fired flags and geometry
  const kept = simOutputs(job, false)
  unpackDetector(await readFloats(device, draws, drawLayout(n, P).kept), n, P, kept)
  const keptError = kept.noise.length + kept.kicks.length > 0 ? Infinity
    : largestDifference([[kept.present, gpu.present], [kept.panel.g, gpu.panel.g], [kept.panel.above, gpu.panel.above], [kept.panel.below, gpu.panel.below]])
  // the reconstruction's inputs made from these buffers, against those made from their read-back
  const reco = await recoInputOutputs(device, { tracks: inputs[0], draws }, cpu.tracks, gpu, DETECTOR_PANELS, layout, 1.0, 0.2)
  inputs.forEach((b) => b.destroy())
  const th = new Float64Array(P)
  let kick = 0
  for (let i = 0; i < n; i++) {
    kickWidths(layout, t.uzin[i], t.uzout[i], mu.p[i], t.pOut[i], th)
    for (let q = 0; q < 2 * P; q++) {
      const w = th[q >> 1], d = Math.abs(gpu.kicks[2 * P * i + q] - cpu.kicks[2 * P * i + q])
      kick = Math.max(kick, w > 0 ? d / w : d > 0 ? Infinity : 0)
    }
  }
  const outputs: OutputCheck[] = [
    compare('noise', gpu.noise, cpu.noise, 'absolute', NORMAL_ABS),
    compare('present', gpu.present, cpu.present, 'absolute', 0),
    { name: 'kicks', maxError: kick, tolerance: NORMAL_ABS, scale: 'relative' },
    compare('g', gpu.panel.g, cpu.panel.g, 'relative', RELATIVE),
    compare('above', gpu.panel.above, cpu.panel.above, 'relative', RELATIVE),
    compare('below', gpu.panel.below, cpu.panel.below, 'relative', RELATIVE),
    { name: 'kept draws', maxError: keptError, tolerance: 0, scale: 'absolute' },
    ...reco,
    ...await aheadOutputs(device, n),
  ]
  return result('detector', n, outputs, t1 - t0, t2 - t1)
}

/** float32 against float64 along a path of a dozen voxels: c̄ and the stacks' c within MOMENTUM_REL; a value whose
 *  energy ends near the stopping threshold may stop on one side only, which changes its muon's c̄ (at most 1 % of
 *  the muons) */
const ABSORPTION_REL = 1e-4

/**
 * The absorption term (per voxel: its positive and negative parts, each with the curvature added, as the EM adds
 * them): the benchmark's detector over 1 m of iron with the lead block, where a quarter of the muons stop, n muons
 * simulated on the CPU, λ the truth times ±20 % per voxel (so most voxels mix two references), against
 * absorptionTerms with every muon; once with the prior (an unknown momentum) and once with a measured momentum. Then
 * the crossing energy alone on the same paths, as the Fisher term's constants take it (crossingEnergyGpu), at these
 * densities and at the truth, against crossingEnergy: ln T_cross, and each muon's gradient relative to its largest.
 */
async function checkAbsorption(device: GPUDevice, n: number): Promise<KernelCheck> {
  const design = benchDesign(n)
  design.volume = { ...design.volume, background: 'iron' }
  const vol = buildVolume(design.volume)
  const panels = createPanelParams(design.detector)
  const batch = simulate(design, vol, panels, n, 7, 'absorption-check')
  const prior = absorptionObservations(batch, vol, panels, entryResolution(design))
  panels.dispose()
  const measured = { ...prior, entry: { kind: 'point' as const, p: Float32Array.from(batch.tracks.p), energyLoss: true, resolution: 0.2 } }
  const r = createRng(10, 'absorption-check')
  const lambda = Float64Array.from(vol.x0, (x) => (1 + 0.4 * (r.uniform() - 0.5)) / x)
  const V = lambda.length
  const outputs: OutputCheck[] = []
  let gpuMs = 0, cpuMs = 0
  for (const [name, obs] of [['prior', prior], ['measured', measured]] as const) {
    const [lamB, absB] = [upload(device, Float32Array.from(lambda)), upload(device, new Float32Array(2 * V))]
    const t0 = performance.now()
    const passes = absorptionPasses(device, obs, V)!
    const enc = device.createCommandEncoder()
    const pass = enc.beginComputePass()
    passes.record(pass, lamB, absB)
    pass.end()
    device.queue.submit([enc.finish()])
    const gpu = await readFloats(device, absB, 2 * V)
    const t1 = performance.now()
    const cpu = absorptionTerms(obs, lambda)
    const t2 = performance.now()
    gpuMs += t1 - t0
    cpuMs += t2 - t1
    lamB.destroy()
    absB.destroy()
    ;(['pos', 'neg'] as const).forEach((part, c) => {
      const want = Float64Array.from({ length: V }, (_, j) => cpu[part][j] + cpu.curvature[j])
      const top = Math.max(...want)
      let err = top > 0 ? 0 : Infinity
      for (let j = 0; j < V; j++) err = Math.max(err, Math.abs(gpu[2 * j + c] - want[j]) / top)
      outputs.push({ name: `${part} (${name})`, maxError: err, tolerance: ABSORPTION_REL, scale: 'relative' })
    })
  }
  // the crossing energy alone (the Fisher term's), at these densities and at the truth (most voxels on a reference)
  for (const [name, lam] of [['λ', lambda], ['truth', Float64Array.from(vol.x0, (x) => 1 / x)]] as const) {
    const t0 = performance.now()
    const gpu = await crossingEnergyGpu(device, prior.paths, lam)
    const t1 = performance.now()
    const cpu = crossingEnergy(prior.paths, lam)
    cpuMs += performance.now() - t1
    gpuMs += t1 - t0
    outputs.push(
      compare(`crossing ln T (${name})`, finiteFloats(gpu.lnT), finiteFloats(cpu.lnT), 'absolute', ABSORPTION_REL),
      { name: `crossing ∂ln T/∂λ (${name})`, maxError: perMuonError(prior.paths, gpu.grad, cpu.grad, () => false), tolerance: ABSORPTION_REL, scale: 'relative' },
    )
  }
  return result('absorption', n, outputs, gpuMs, cpuMs)
}

/** float32 sums over a voxel's entries and a muon's path, carried through 10 multiplicative updates (measured 1.2e-6) */
const EM_REL = 1e-5

/**
 * The EM's iterations: n muons on random lines through iron with a lead block, their m drawn from the model's own
 * exponential (and 3 % of them from a tail 30 times wider), solved for 10 iterations from the same start on the
 * CPU and the GPU, with a known momentum and with a prior of four values (one of which stops).
 */
async function checkEm(device: GPUDevice, n: number): Promise<KernelCheck> {
  const vol = buildVolume({
    origin: [0, 0, 0.4], size: [1, 1, 0.6], voxel: 0.1, background: 'iron',
    blocks: [{ min: [0.3, 0.3, 0.5], max: [0.7, 0.6, 0.8], material: 'lead' }],
  })
  const paths = buildPaths(vol, randomLines(n))
  const r = createRng(8, 'em-check')
  const c = Float64Array.from({ length: n }, () => highlandC(1 + 9 * r.uniform()))
  const e = new Float64Array(n).fill(2e-7)
  const m = new Float64Array(n), w = Float64Array.from(paths.total, (t) => (t > 0 && r.uniform() < 0.95 ? 1 : 0))
  for (let k = 0, i = 0; i < n; i++) {
    let t = 0
    for (; k < paths.nnz && paths.muon[k] === i; k++) t += paths.length[k] / vol.x0[paths.voxel[k]]
    m[i] = -(c[i] * highlandG(t) + e[i]) * Math.log(1 - r.uniform()) * (r.uniform() < 0.03 ? 30 : 1)
  }
  const known: MuonObservations = { m, e, w, c }
  const prior: MuonObservations = { ...known, mix: { q: 4, c: Float64Array.from({ length: 4 * n }, (_, k) => [0.5, 1, 2, 0][k % 4] * c[k >> 2]) } }
  const init = new Float64Array(paths.nVoxels).fill(30)
  const t0 = performance.now()
  const gpu = [await solveScatteringDensityGpu(device, paths, known, { iterations: 10, init }), await solveScatteringDensityGpu(device, paths, prior, { iterations: 10, init })]
  const t1 = performance.now()
  const cpu = [solveScatteringDensity(paths, known, { iterations: 10, init }), solveScatteringDensity(paths, prior, { iterations: 10, init })]
  const t2 = performance.now()
  const covered = (a: Float64Array) => Float32Array.from(a.filter((_, j) => cpu[0].coverage[j] > 0))
  const outputs = (['known', 'prior'] as const).flatMap((name, k) => [
    compare(`λ (${name})`, covered(gpu[k].lambda), covered(cpu[k].lambda), 'relative', EM_REL),
    compare(`weight (${name})`, Float32Array.from(gpu[k].weight), cpu[k].weight, 'absolute', EM_REL),
    compare(`coverage (${name})`, Float32Array.from(gpu[k].coverage), cpu[k].coverage, 'relative', RELATIVE),
  ])
  return result('em', n, outputs, t1 - t0, t2 - t1)
}

/** the EM's float32 rounding plus the absorption term's (ABSORPTION_REL of the largest voxel's, measured 10⁻⁵) in
 *  every one of 20 multiplicative updates, which the update passes on to λ about one for one */
const STEP_SOLVE_REL = ABSORPTION_REL

/**
 * The EM kernel as a step's X0 solve runs it: the benchmark's detector and volume (full physics: an unknown
 * momentum, the absorption term), n muons simulated and reconstructed on the CPU, 20 iterations from a cold start
 * with the momentum model's refreshes and the absorption term on the GPU (gpu/momentum.ts, gpu/absorption.ts), and
 * the cold start alone (gpu/em-start.ts: the first refresh and the best single λ). Then the map as a Fisher step
 * solves it, its paths left on the GPU, traced from the lines uploaded or queued from the reconstruction's tensors.
 */
async function checkStepSolve(device: GPUDevice, n: number): Promise<KernelCheck> {
  const design = benchDesign(n)
  const vol = buildVolume(design.volume)
  const panels = createPanelParams(design.detector)
  const batch = simulate(design, vol, panels, n, 5, 'em-check')
  const { lines, obs } = await observeBatch(batch, vol, panels, 'hard', 1)
  const paths = buildPaths(vol, lines)
  const abs = absorptionObservations(batch, vol, panels, entryResolution(design))
  const problem = (iterations: number) => x0Problem(batch, paths, obs, { iterations, absorption: abs })
  // a step's (smooth) reconstruction: its tensors left on the GPU, and read back by observeBatch
  const observed = tf.tidy(() => observationTensors(reconstructBatch(batch, vol, panels, 'smooth', 1)))
  const smooth = await observeBatch(batch, vol, panels, 'smooth', 1)
  panels.dispose()
  const solve = async (iterations: number) => {
    const [pg, pc] = [problem(iterations), problem(iterations)]
    const t0 = performance.now()
    const gpu = await solveScatteringDensityGpu(device, pg.paths, pg.obs, pg.opts, { momentum: gpuMomentum(batch, obs, pg.obs), absorption: abs })
    const t1 = performance.now()
    const cpu = solveScatteringDensity(pc.paths, pc.obs, pc.opts)
    return { gpu, cpu, gpuMs: t1 - t0, cpuMs: performance.now() - t1 }
  }
  // the start alone (no iteration: the first refresh and the best single λ), then the solve
  const start = await solve(0)
  const { gpu, cpu, gpuMs, cpuMs } = await solve(20)
  const covered = (a: Float64Array) => Float32Array.from(a.filter((_, j) => cpu.coverage[j] > 0))
  // the map alone as a Fisher step solves it on webgpu (the fitted lines' paths left on the GPU, the by-voxel copy
  // made there) against the same solve of the same trace read back: the same order of every sum, so identical
  const traced = x0Problem(batch, await tracePathsOnGpu(device, vol, lines), obs, { iterations: 20, absorption: abs })
  const readBack = await solveScatteringDensityGpu(device, traced.paths, traced.obs, traced.opts, { momentum: gpuMomentum(batch, obs, traced.obs), absorption: abs })
  const resident = await solveMapOnGpu(device, batch, vol, lines, obs, { iterations: 20, absorption: abs })
  // and queued from a step's reconstruction's tensors where they lie, as a step queues it beside its loss (the paths
  // traced and the observations copied from the tensors, the absorption term's entry paths on the GPU, all rows
  // kept), against its lines and observations read back (a muon with a weight of at most 10⁻⁶ is left out on both
  // sides), the entry paths of the muons seen entering uploaded: the same sums in the same order
  const entryPaths = traceEntryLines(vol, batch.tracks).paths
  const rows = {
    n, nnz: entryPaths.nnz, rowStart: upload(device, Uint32Array.from(rowStarts(entryPaths))), entries: upload(device, pairs(entryPaths.voxel, entryPaths.length, entryPaths.nnz)),
  }
  const tape = await queueMapOnGpu(device, batch, vol, observed, { iterations: 20 }, { seen: abs, rows })
  const uploaded = await solveMapOnGpu(device, batch, vol, smooth.lines, smooth.obs, { iterations: 20, absorption: abs })
  // the same, as the x0 loss's step makes its tape's constants
  const x0 = await x0Outputs(device, batch, vol, observed, smooth, abs, rows)
  tf.dispose(observed)
  rows.rowStart.destroy()
  rows.entries.destroy()
  const outputs = [
    compare('start λ', Float32Array.from(start.gpu.lambda), start.cpu.lambda, 'relative', RELATIVE),
    compare('λ', covered(gpu.lambda), covered(cpu.lambda), 'relative', STEP_SOLVE_REL),
    compare('weight', Float32Array.from(gpu.weight), cpu.weight, 'absolute', EM_REL),
    compare('coverage', Float32Array.from(gpu.coverage), cpu.coverage, 'relative', RELATIVE),
    compare('resident λ', Float32Array.from(resident?.lambda ?? []), readBack.lambda, 'absolute', 0),
    compare('resident coverage', Float32Array.from(resident?.coverage ?? []), readBack.coverage, 'absolute', 0),
    compare('tape λ', Float32Array.from(tape.lambda), uploaded?.lambda ?? [], 'absolute', 0),
    ...x0,
  ]
  return result('x0 solve', n, outputs, gpuMs, cpuMs)
}

/** every kernel against its CPU reference; null when tfjs is not on webgpu */
export async function checkKernels(size = { muons: 2000, showers: 600, layers: 29 }): Promise<KernelCheck[] | null> {
  const device = webgpuDevice()
  if (!device) return null
  return [
    await checkMuons(device, size.muons), await checkEntering(device, size.muons), await checkShowers(device, size.showers, size.layers),
    await checkPaths(device, size.muons), await checkPropagation(device, size.muons), await checkDetector(device, size.muons),
    await checkMomentum(device, size.muons), await checkMomentumDerivative(device, size.muons), await checkAbsorption(device, size.muons), await checkEm(device, size.muons),
    await checkStepSolve(device, size.muons),
  ]
}
