// The kernel threads change the speed, never the numbers: a seed gives bit-identical muons, tracks and draws on 1
// and on 2 threads, and with 2 threads the second thread really runs blocks; the whole batch generated, propagated
// and seen by the detector in one call each (as the GPU's kernels do) gives the simulation's outputs; the path
// matrix is buildPaths' own; the EM solve, the momentum model (with its derivative), the absorption term's crossing
// energies and near-threshold marks, and the Fisher term's constants give the same numbers. A batch simulated ahead
// on the pool while the panels move is the batch simulated afterwards, and a session's steps (which simulate the next
// batch ahead on 2 threads) are those of 1 thread; so are a calorimeter session's (which draws the next showers ahead).
import { afterAll, expect, test } from 'vitest'
import { createPanelParams } from '../engine/muography/panels'
import { benchDesign } from '../engine/muography/bench-scenario'
import { buildVolume, voxelCentre } from '../engine/muography/volume'
import { solveScatteringDensity } from '../engine/muography/em'
import { EM_MUON_BLOCK } from '../engine/muography/em-blocks'
import { pathMomentum } from '../engine/muography/momentum-model'
import { MOMENTUM_BLOCK, pathMomentumBlocks } from '../engine/muography/momentum-blocks'
import { simOutputs, simulateBlock, simulateMuons, SIM_BLOCK, TRACK_KEYS } from '../engine/muography/sim-blocks'
import { propagate } from '../engine/muography/propagate'
import { detectorRange } from '../engine/muography/detector-draws'
import { simulate, startSimulation } from '../engine/muography/pipeline'
import { MuographySession } from '../engine/muography/session'
import { createCalorimeterSession } from '../engine/calorimeter/session'
import { caloBenchDesign } from '../engine/calorimeter/bench-design'
import { useKernelThreads } from './kernel-host'
import { readBack, tf, useNodeBackend } from '../engine/core/tensor'
import { expCellSums } from '../engine/calorimeter/cell-sums'
import { CELL_SUMS_BLOCK } from '../engine/calorimeter/cell-sums-blocks'
import { createRng } from '../engine/core/rng'
import { drawShowers, SHOWER_BLOCK } from '../engine/calorimeter/draws'
import { buildPaths } from '../engine/muography/paths'
import { PATH_BLOCK, tracePaths } from '../engine/muography/path-blocks'
import { crossingEnergy } from '../engine/muography/absorption'
import { CROSSING_BLOCK, crossingEnergyBlocks, nearThresholdBlocks } from '../engine/muography/absorption-blocks'
import { FISHER_BLOCK, fisherArrays } from '../engine/muography/fisher-blocks'
import { highlandG, highlandGPrime } from '../engine/muography/highland'
import { afterStack, panelLayout, panelScatterRange } from '../engine/muography/panel-material'
import { generateMuons } from '../engine/muography/flux'

afterAll(async () => { await useKernelThreads(1) })

test('simulate: same seed on 1 and 2 threads gives identical outputs, and the pool thread ran blocks', async () => {
  await useNodeBackend('wasm')
  const d = benchDesign(12 * SIM_BLOCK + 17)
  d.simulation.energy_loss = true
  const vol = buildVolume(d.volume)
  const panels = createPanelParams(d.detector)
  const n = d.optimizer.muons_per_step
  await useKernelThreads(1)
  const one = simulate(d, vol, panels, n, 7, 'train')
  await useKernelThreads(2)
  const two = simulate(d, vol, panels, n, 7, 'train')
  for (const k of ['p', 'pOut', 'xin', 'yin', 'uxin', 'xout', 'yout', 'zout', 'uxout', 'uyout', 'uzout', 'alive'] as const) {
    expect(Array.from(two.tracks[k]), k).toEqual(Array.from(one.tracks[k]))
  }
  expect(Array.from(two.noise)).toEqual(Array.from(one.noise))
  expect(Array.from(two.present)).toEqual(Array.from(one.present))
  // the panels' scattering geometry, made in the blocks, is the whole batch's in one pass
  const P = one.layout.z.length
  const whole = { g: new Float32Array(n * P), above: new Float32Array(n), below: new Float32Array(n) }
  panelScatterRange(one.layout, one.tracks, 0, n, whole)
  for (const k of ['g', 'above', 'below'] as const) {
    expect(Array.from(one.panelGeometry[k]), k).toEqual(Array.from(whole[k]))
    expect(Array.from(two.panelGeometry[k]), k).toEqual(Array.from(whole[k]))
  }
  expect(whole.above.every((v) => v > 0) && whole.below.some((v) => v > 0)).toBe(true)
  // the muons are real: most cross the volume, the efficiency draws match the panels' 90 %
  expect(one.tracks.alive.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.5 * n)
  const eff = one.present.reduce((a, b) => a + b, 0) / one.present.length
  expect(Math.abs(eff - 0.9)).toBeLessThan(0.01)
  panels.dispose()
  // a larger job: the caller does not run every block itself
  const job = { n: 40 * SIM_BLOCK, seed: 3, flux: { model: 'guan' as const, area: { x0: 0, x1: 1, y0: 0, y1: 1 }, z: 1.2 }, vol,
    propagate: {}, layout: one.layout, efficiency: Float64Array.of(1, 1), kicks: false }
  const r = simulateMuons(job)
  expect(r.local).toBeLessThan(40)
  // a block run again (as after a stalled thread, parallel/blocks.ts) writes the same numbers, sums included
  const again = { ...r, panel: { g: r.panel.g.slice(), above: r.panel.above.slice(), below: r.panel.below.slice() } }
  simulateBlock({ ...job, out: again }, 3)
  for (const k of ['g', 'above', 'below'] as const) expect(Array.from(again.panel[k]), k).toEqual(Array.from(r.panel[k]))
})

/** the benchmark design with n muons, its volume and panels, on wasm with 2 kernel threads */
async function benchOnTwoThreads(n: number) {
  await useNodeBackend('wasm')
  await useKernelThreads(2)
  const d = benchDesign(n)
  return { d, vol: buildVolume(d.volume), panels: createPanelParams(d.detector), n: d.optimizer.muons_per_step }
}

test('the whole batch generated, propagated and seen by the detector in one call each (as sim-gpu.ts does) gives the blocks\' outputs', async () => {
  const { d, vol, panels, n } = await benchOnTwoThreads(5 * SIM_BLOCK + 33)
  const layout = panelLayout(panels, d.detector.panels.map((p) => p.z))
  const job = {
    n, seed: 11, flux: { model: 'guan' as const, area: { x0: -0.2, x1: 1.2, y0: -0.2, y1: 1.2 }, z: 1.2 }, vol, layout,
    propagate: { energyLoss: true, tail: true }, efficiency: Float64Array.from(panels.efficiencyValues), kicks: true,
  }
  const whole = simulateMuons(job)
  const out = simOutputs(job)
  // the whole batch generated, slowed by the panels above, propagated and drawn by the detector in one call each, as
  // the kernels do (muon i at stream index i)
  const mu = generateMuons({ ...job.flux, n, seed: job.seed })
  out.pAbove.set(mu.p)
  mu.p = afterStack(layout, 0, mu.p, Float32Array.from(mu.uz, (u) => Math.abs(u)))
  const t = propagate(vol, mu, { seed: job.seed }, job.propagate)
  for (const k of TRACK_KEYS) out.tracks[k].set(t[k])
  detectorRange({ ...job, out }, 0, n)
  for (const k of TRACK_KEYS) expect(Array.from(out.tracks[k]), k).toEqual(Array.from(whole.tracks[k]))
  for (const k of ['pAbove', 'noise', 'kicks', 'present'] as const) expect(Array.from(out[k]), k).toEqual(Array.from(whole[k]))
  for (const k of ['g', 'above', 'below'] as const) expect(Array.from(out.panel[k]), k).toEqual(Array.from(whole.panel[k]))
  // the muons are real: most enter with energy loss in the panels above, some stop, the panels scatter them
  expect(whole.tracks.alive.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.5 * n)
  expect(whole.kicks.some((v) => v !== 0)).toBe(true)
  panels.dispose()
})

test('a batch simulated ahead on the pool while the panels move (and swap order) is the batch simulated at the new heights', async () => {
  const { d, vol, panels, n } = await benchOnTwoThreads(6 * SIM_BLOCK + 5)
  const join = startSimulation(d, vol, panels, n, 9, 'train')
  // the panels move meanwhile: the stack below is spread out and its two lowest panels change places
  const z = d.detector.panels.map((p) => p.z)
  z[4] = 0.18; z[6] = -0.1; z[7] = 0.02
  const ahead = join(z)
  const now = simulate(d, vol, panels, n, 9, 'train', z)
  for (const k of TRACK_KEYS) expect(Array.from(ahead.tracks[k]), k).toEqual(Array.from(now.tracks[k]))
  for (const k of ['noise', 'present'] as const) expect(Array.from(ahead[k]), k).toEqual(Array.from(now[k]))
  expect(Array.from(ahead.kicks!)).toEqual(Array.from(now.kicks!))
  for (const k of ['g', 'above', 'below'] as const) expect(Array.from(ahead.panelGeometry[k]), k).toEqual(Array.from(now.panelGeometry[k]))
  for (const k of ['sign', 'sensitivity'] as const) expect(Array.from(ahead.layout[k]), k).toEqual(Array.from(now.layout[k]))
  expect(Array.from(ahead.entry.p)).toEqual(Array.from(now.entry.p))
  expect(ahead.stopped).toBe(now.stopped)
  // the heights do change the panels' sums: the batch at the design's heights differs there
  const before = simulate(d, vol, panels, n, 9, 'train')
  expect(Array.from(before.panelGeometry.below)).not.toEqual(Array.from(now.panelGeometry.below))
  panels.dispose()
})

test('a session\'s steps on 2 threads, each simulating the next batch ahead, are those of 1 thread', async () => {
  await useNodeBackend('wasm')
  const run = async (threads: number) => {
    await useKernelThreads(threads)
    const s = new MuographySession(benchDesign(3 * SIM_BLOCK))
    const steps = []
    // the loss and the panels, and the X0 map of the step's EM (whose panel term takes the batch's panel sums)
    for (let k = 0; k < 3; k++) {
      const r = await s.step()
      steps.push({ total: r.total, parameters: r.parameters, x0: Array.from(s.snapshot().x0Pred!) })
    }
    s.dispose()
    return steps
  }
  const one = await run(1)
  const two = await run(2)
  expect(two).toEqual(one)
  // the panels moved, so each batch after the first was simulated ahead at heights the step then changed
  expect(one[2].parameters).not.toEqual(one[0].parameters)
})

test('a calorimeter session\'s steps on 2 threads, each drawing the next showers ahead, are those of 1 thread', async () => {
  await useNodeBackend('wasm')
  const run = async (threads: number) => {
    await useKernelThreads(threads)
    const s = await createCalorimeterSession(caloBenchDesign(10, 3 * 7 * SHOWER_BLOCK))
    const steps = []
    for (let k = 0; k < 3; k++) {
      const r = await s.step()
      steps.push({ total: r.total, parameters: r.parameters })
    }
    s.dispose()
    return steps
  }
  const one = await run(1)
  const two = await run(2)
  expect(two).toEqual(one)
  // each step's showers are their own: the losses differ from step to step
  expect(new Set(one.map((r) => r.total)).size).toBe(3)
})

function randomLines(n: number, seed: number) {
  const r = createRng(seed, 'lines')
  const col = (f: () => number) => Float32Array.from({ length: n }, f)
  const use = Uint8Array.from({ length: n }, () => (r.uniform() < 0.95 ? 1 : 0))
  return {
    n, zIn: 1.2, zOut: 0.2, use,
    inX: col(() => r.uniform()), inY: col(() => r.uniform()), inTx: col(() => 0.6 * (r.uniform() - 0.5)), inTy: col(() => 0.6 * (r.uniform() - 0.5)),
    outX: col(() => r.uniform()), outY: col(() => r.uniform()), outTx: col(() => 0.6 * (r.uniform() - 0.5)), outTy: col(() => 0.6 * (r.uniform() - 0.5)),
  }
}

test.each([
  ['10 cm voxels', 0.1],
  // 40 voxels high: every block overflows its shared region and the caller traces it again
  ['2.5 cm voxels', 0.025],
])('path tracing on 2 threads gives buildPaths\' matrix (%s)', async (_name, voxel) => {
  const d = benchDesign(1000)
  d.volume.voxel = voxel
  const vol = buildVolume(d.volume)
  const lines = randomLines(5 * PATH_BLOCK + 3, 11)
  const ref = buildPaths(vol, lines)
  await useKernelThreads(2)
  const par = tracePaths(vol, lines)
  expect(par.nnz).toBe(ref.nnz)
  expect(ref.nnz).toBeGreaterThan(lines.n * (voxel < 0.05 ? 30 : 8))
  for (const k of ['muon', 'voxel', 'length', 'total'] as const) expect(Array.from(par[k]), k).toEqual(Array.from(ref[k]))
})

test('shower draws: same seeds on 1 and 2 threads give identical standard normals', async () => {
  const S = 5 * SHOWER_BLOCK + 100, L = 30
  await useKernelThreads(1)
  const one = drawShowers([5, 6], 'showers', S, L, true)
  await useKernelThreads(2)
  const two = drawShowers([5, 6], 'showers', S, L, true)
  for (const k of ['z1', 'z2', 'zs', 'zn'] as const) expect(Array.from(two[k]!), k).toEqual(Array.from(one[k]!))
  const zs = one.zs
  const mean = zs.reduce((a, b) => a + b, 0) / zs.length
  const variance = zs.reduce((a, b) => a + (b - mean) ** 2, 0) / zs.length
  // 0.6 M normals: the mean within 5σ of 0, the variance within 5σ of 1
  expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(zs.length))
  expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / zs.length))
  // the two energy rows are different streams
  expect(one.z1[0]).not.toBe(one.z1[S])
})

test('the calorimeter profile integral: the same sums and gradients on 1 and 2 threads', async () => {
  await useNodeBackend('wasm')
  const nE = 3, S = 4 * CELL_SUMS_BLOCK + 11, J = 6, L = 30, K = 9
  const r = createRng(3, 'cell-sums')
  const random = (shape: number[], scale: number) => tf.tensor(Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => scale * r.normal()), shape)
  const ab = [...Array.from({ length: J }, () => random([nE, S], 0.3)), ...Array.from({ length: J }, () => random([nE, L * K], 0.5))] as tf.Tensor2D[]
  const w = random([nE, S, L], 1)
  const sums = (xs: tf.Tensor[]) => expCellSums(xs.slice(0, J) as tf.Tensor2D[], xs.slice(J) as tf.Tensor2D[], K)
  const run = async () => {
    const g = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(sums(xs).sin(), w)) as tf.Scalar)(ab)
    const y = sums(ab)
    const out = await readBack([y, ...g])
    tf.dispose([y, ...g])
    return out.map((x) => Array.from(x))
  }
  await useKernelThreads(1)
  const one = await run()
  await useKernelThreads(2)
  const two = await run()
  expect(two).toEqual(one)
  expect(one.every((x) => x.some((v) => v !== 0))).toBe(true)
  tf.dispose([...ab, w])
})

test('EM solve: the same densities on 1 and 2 threads, and they move toward the scattering observed', async () => {
  const d = benchDesign(1000)
  const vol = buildVolume(d.volume)
  const lines = randomLines(3 * EM_MUON_BLOCK + 5, 12)
  const paths = buildPaths(vol, lines)
  const r = createRng(4, 'obs')
  const n = lines.n
  // muons through the first half of the voxels (x < 0.5) scatter 4× more: λ there must come out higher
  const obs = () => ({
    m: Float64Array.from({ length: n }, (_, i) => (lines.inX[i] < 0.5 ? 4e-5 : 1e-5) * -Math.log(1 - r.uniform())),
    e: new Float64Array(n).fill(1e-8), w: Float64Array.from(lines.use), c: new Float64Array(n).fill(1e-4),
  })
  const o = obs()
  await useKernelThreads(1)
  const one = solveScatteringDensity(paths, { ...o }, { iterations: 20 })
  await useKernelThreads(2)
  const two = solveScatteringDensity(paths, { ...o }, { iterations: 20 })
  expect(Array.from(two.lambda)).toEqual(Array.from(one.lambda))
  expect(Array.from(two.weight)).toEqual(Array.from(one.weight))
  const mean = (f: (x: number) => boolean) => {
    let s = 0, k = 0
    one.lambda.forEach((l, j) => { if (one.coverage[j] > 0 && f(voxelCentre(vol, j)[0])) { s += l; k++ } })
    return s / k
  }
  expect(mean((x) => x < 0.4)).toBeGreaterThan(1.5 * mean((x) => x > 0.6))
})

/** n random lines through the benchmark's volume, their paths and its true densities */
function pathsThroughBench(n: number, seed: number) {
  const vol = buildVolume(benchDesign(1000).volume)
  const lines = randomLines(n, seed)
  return { lines, paths: buildPaths(vol, lines), lambda: Float64Array.from(vol.x0, (x) => 1 / x) }
}

test('momentum model: the same c, cIn, cOut, stops, ∂c̄/∂λ, per-quantile c̄ and mixture information on 2 threads as pathMomentum, with energy loss and a prior', async () => {
  const { lines, paths, lambda } = pathsThroughBench(3 * MOMENTUM_BLOCK + 7, 13)
  const r = createRng(5, 'p')
  for (const entry of [
    { kind: 'point' as const, p: Float32Array.from({ length: lines.n }, () => 0.2 + 5 * r.uniform()), energyLoss: true },
    { kind: 'prior' as const, p: Float64Array.of(0.3, 1, 3, 10), energyLoss: true },
  ]) {
    const opts = { derivative: true, perQuantile: true, mixture: true }
    const ref = pathMomentum(paths, lambda, entry, opts)
    await useKernelThreads(2)
    const par = pathMomentumBlocks(paths, lambda, entry, opts)
    for (const k of ['c', 'cIn', 'cOut', 'stops', 'dc'] as const) expect(Array.from(par[k]!), k).toEqual(Array.from(ref[k]!))
    expect(ref.dc!.some((d) => d !== 0)).toBe(true)
    if (entry.kind === 'prior') {
      expect(Array.from(par.cq!)).toEqual(Array.from(ref.cq!))
      expect(Array.from(par.kappa!)).toEqual(Array.from(ref.kappa!))
      expect(Array.from(par.ds!)).toEqual(Array.from(ref.ds!))
      // κ of a mixture is at most one exponential's
      expect(ref.kappa!.every((v) => v > 0 && v <= 1 + 1e-4) && ref.kappa!.some((v) => v < 0.9)).toBe(true)
      // c̄ is the mean of the per-quantile values of the quantiles that leave
      const Q = entry.p.length
      for (let i = 0; i < lines.n; i++) {
        const leave = Array.from(ref.cq!.subarray(i * Q, (i + 1) * Q)).filter((v) => v > 0)
        if (!ref.stops[i] && leave.length) expect(leave.reduce((a, b) => a + b, 0) / leave.length).toBeCloseTo(ref.c[i], 12)
      }
    } else expect(ref.cq ?? ref.kappa ?? ref.ds).toBeUndefined()
    // low momenta through the lead block stop: the model sees some stop and most not
    const stops = ref.stops.reduce((a, b) => a + b, 0)
    if (entry.kind === 'point') expect(stops).toBeGreaterThan(0)
    expect(stops).toBeLessThan(lines.n / 2)
  }
})

test('absorption crossing energies: the same ln T and gradient on 2 threads as crossingEnergy, with and without a mask', async () => {
  const { lines, paths, lambda } = pathsThroughBench(3 * CROSSING_BLOCK + 11, 17)
  const mask = Uint8Array.from({ length: lines.n }, (_, i) => (i % 3 ? 1 : 0))
  for (const active of [null, mask]) {
    await useKernelThreads(1)
    const ref = crossingEnergy(paths, lambda, active)
    await useKernelThreads(2)
    const par = crossingEnergyBlocks(paths, lambda, active)
    expect(Array.from(par.lnT)).toEqual(Array.from(ref.lnT))
    expect(Array.from(par.grad)).toEqual(Array.from(ref.grad))
    expect(ref.lnT.filter(Number.isFinite).length).toBeGreaterThan(lines.n / 2)
  }
})

test('absorption near-threshold marks: the same on 1 and 2 threads; slow muons are marked, fast ones are not', async () => {
  const { lines, paths, lambda } = pathsThroughBench(3 * CROSSING_BLOCK + 11, 19)
  const r = createRng(8, 'p')
  const entry = { kind: 'point' as const, p: Float32Array.from({ length: lines.n }, () => 0.2 + 30 * r.uniform() ** 2), energyLoss: true, resolution: 0 }
  await useKernelThreads(1)
  const one = nearThresholdBlocks(paths, lambda, entry)
  await useKernelThreads(2)
  const two = nearThresholdBlocks(paths, lambda, entry)
  expect(Array.from(two)).toEqual(Array.from(one))
  const marked = (i: number) => one[i] === 1
  const idx = Array.from({ length: lines.n }, (_, i) => i).filter((i) => paths.total[i] > 0)
  expect(idx.some(marked) && !idx.every(marked)).toBe(true)
  // the slowest muon is marked, the fastest is not
  const slowest = idx.reduce((a, i) => (entry.p[i] < entry.p[a] ? i : a), idx[0])
  const fastest = idx.reduce((a, i) => (entry.p[i] > entry.p[a] ? i : a), idx[0])
  expect(marked(slowest)).toBe(true)
  expect(marked(fastest)).toBe(false)
})

test('Fisher constants: the same on 1 and 2 threads, and each entry is κ (c g′ L)² and κ (c g′ L)(c g′ L + g ∂c/∂λ) by hand', async () => {
  const { lines, paths, lambda } = pathsThroughBench(3 * FISHER_BLOCK + 5, 23)
  const r = createRng(9, 'fisher')
  const m = {
    c: Float32Array.from({ length: lines.n }, () => 1e-4 * (0.5 + r.uniform())),
    dc: Float64Array.from({ length: paths.nnz }, () => 1e-6 * (r.uniform() - 0.5)),
    kappa: Float64Array.from({ length: lines.n }, () => 0.5 + 0.5 * r.uniform()),
  }
  await useKernelThreads(1)
  const one = fisherArrays(paths, lambda, m)
  await useKernelThreads(2)
  const two = fisherArrays(paths, lambda, m)
  for (const k of ['cg', 'a', 'b'] as const) expect(Array.from(two[k]), k).toEqual(Array.from(one[k]))
  // each muon's path in radiation lengths, Σ L λ, summed over the entries by hand
  const t = new Float64Array(lines.n)
  for (let k = 0; k < paths.nnz; k++) t[paths.muon[k]] += paths.length[k] * lambda[paths.voxel[k]]
  for (let k = 0; k < paths.nnz; k += 97) {
    const i = paths.muon[k], score = m.c[i] * highlandGPrime(t[i]) * paths.length[k]
    expect(one.a[k] / (m.kappa[i] * score * score)).toBeCloseTo(1, 5)
    expect(one.b[k] / (m.kappa[i] * score * (score + highlandG(t[i]) * m.dc[k]))).toBeCloseTo(1, 5)
  }
  for (let i = 0; i < lines.n; i += 37) {
    if (t[i] > 0) expect(one.cg[i] / (m.c[i] * highlandG(t[i]))).toBeCloseTo(1, 5)
    else expect(one.cg[i]).toBe(0)
  }
})
