// The momentum model's kernels against momentum-model.ts pathMomentum (gpu/check.ts): the EM's refresh
// (gpu/momentum.ts) and the Fisher term's derivative (gpu/momentum-derivative.ts).
import { createRng } from '../core/rng'
import { buildPaths, rowStarts } from '../muography/paths'
import { fisherArrays } from '../muography/fisher-blocks'
import { pathMomentum, type EntryMomentum } from '../muography/momentum-model'
import { buildVolume } from '../muography/volume'
import { readFloats } from './device'
import { momentumRefresh } from './momentum'
import { pathMomentumDerivativeGpu } from './momentum-derivative'
import { pairs } from './paths'
import { compare, perMuonError, randomLines, result, upload, type KernelCheck, type OutputCheck } from './check-compare'

/** n random lines through iron with a lead block (both reference materials of the model: its kinks in ln λ) and a
 *  beryllium block (between two), under the true densities */
function ironWithLead(n: number) {
  const vol = buildVolume({
    origin: [0, 0, 0.4], size: [1, 1, 0.6], voxel: 0.1, background: 'iron',
    blocks: [{ min: [0.3, 0.3, 0.5], max: [0.7, 0.6, 0.8], material: 'lead' }, { min: [0, 0, 0.4], max: [0.3, 1, 0.6], material: 'beryllium' }],
  })
  return { vol, paths: buildPaths(vol, randomLines(n)), lambda: Float64Array.from(vol.x0, (x) => 1 / x) }
}

/** a prior of 16 values from 0.4 to 40 GeV/c (the lowest stop in the lead) */
function prior(): EntryMomentum & { kind: 'prior' } {
  const Q = 16
  return { kind: 'prior', p: Float64Array.from({ length: Q }, (_, q) => 0.4 * 100 ** (q / (Q - 1))), energyLoss: true }
}

const MOMENTUM_REL = 1e-4
const MOMENTUM_DIFFER = 0.01
/** ∂c̄/∂λ and ∂s/∂λ per entry, relative to the muon's largest: c − c̄ and the loss's slopes in float32 */
const DERIVATIVE_REL = 1e-4

/**
 * The momentum model's refresh: n muons through ironWithLead, the prior, and the panels' term of e, against
 * pathMomentum on the CPU.
 */
export async function checkMomentum(device: GPUDevice, n: number): Promise<KernelCheck> {
  const { paths, lambda } = ironWithLead(n)
  const entry = prior()
  const Q = entry.p.length
  const r = createRng(9, 'momentum-check')
  const col = (scale: number) => Float64Array.from({ length: n }, () => scale * (1 + r.uniform()))
  const inputs = { entry, fitE: col(1e-7), above: col(0.05), below: col(0.05) }
  const entries = pairs(paths.voxel, paths.length, paths.nnz)
  const buffers = [Uint32Array.from(rowStarts(paths)), entries, Float32Array.from(lambda), new Float32Array(4 * n), new Float32Array(n * Q)]
    .map((d) => upload(device, d))
  const [rowB, entB, lamB, obsB, mixB] = buffers
  const t0 = performance.now()
  const refresh = momentumRefresh(device, n, inputs)
  const enc = device.createCommandEncoder()
  const pass = enc.beginComputePass()
  refresh.record(pass, rowB, entB, lamB, obsB, mixB)
  pass.end()
  device.queue.submit([enc.finish()])
  const [o, st, mix] = await Promise.all([readFloats(device, obsB, 4 * n), readFloats(device, refresh.stack, 2 * n), readFloats(device, mixB, n * Q)])
  const t1 = performance.now()
  const cpu = pathMomentum(paths, lambda, entry, { perQuantile: true })
  const t2 = performance.now()
  buffers.forEach((b) => b.destroy())
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30)
  let differ = 0, stops = 0
  const err = { 'c̄': 0, 'c̄ per value': 0, 'c above': 0, 'c below': 0, e: 0 }
  for (let i = 0; i < n; i++) {
    let same = true
    for (let q = 0; q < Q; q++) {
      if (cpu.cq![i * Q + q] === 0) stops++
      same &&= (mix[i * Q + q] === 0) === (cpu.cq![i * Q + q] === 0)
    }
    if (!same) { differ++; continue }
    for (let q = 0; q < Q; q++) if (cpu.cq![i * Q + q] > 0) err['c̄ per value'] = Math.max(err['c̄ per value'], rel(mix[i * Q + q], cpu.cq![i * Q + q]))
    const e = inputs.fitE[i] + cpu.cIn[i] * inputs.above[i] + cpu.cOut[i] * inputs.below[i]
    err['c̄'] = Math.max(err['c̄'], rel(o[4 * i + 3], cpu.c[i]))
    err['c above'] = Math.max(err['c above'], rel(st[2 * i], cpu.cIn[i]))
    err['c below'] = Math.max(err['c below'], rel(st[2 * i + 1], cpu.cOut[i]))
    err.e = Math.max(err.e, rel(o[4 * i + 1], e))
  }
  const outputs: OutputCheck[] = [
    ...Object.entries(err).map(([name, maxError]) => ({ name, maxError, tolerance: MOMENTUM_REL, scale: 'relative' as const })),
    { name: 'muons', maxError: differ / n, tolerance: MOMENTUM_DIFFER, scale: 'fraction' },
    // the check means something only if some values stop (and not all)
    { name: 'values stopping', maxError: stops > 0 && stops < n * Q ? 0 : Infinity, tolerance: 0, scale: 'absolute' },
  ]
  return result('momentum', n, outputs, t1 - t0, t2 - t1)
}

/** float32 against float64 through a range walk of up to a few dozen voxels and sums over a voxel's entries,
 *  relative to the largest voxel's term */

/**
 * The Fisher term's momentum model with its derivative: n muons through ironWithLead for point momenta from 0.3 to
 * 30 GeV/c (log-uniform; some stop) and for the prior, against pathMomentum with `derivative` and `mixture`. A muon
 * whose energy ends near the stopping threshold may stop on one side only (or, for the prior, one of its values
 * may): those are counted, not compared. Then the Fisher term's constants the kernel makes from them, against
 * fisherArrays on the CPU's.
 */
export async function checkMomentumDerivative(device: GPUDevice, n: number): Promise<KernelCheck> {
  const { paths, lambda } = ironWithLead(n)
  const r = createRng(11, 'momentum-derivative-check')
  const point: EntryMomentum = { kind: 'point', p: Float32Array.from({ length: n }, () => 0.3 * 100 ** r.uniform()), energyLoss: true }
  const entries = [point, prior()]
  const t0 = performance.now()
  const gpu: Awaited<ReturnType<typeof pathMomentumDerivativeGpu>>[] = []
  for (const e of entries) gpu.push(await pathMomentumDerivativeGpu(device, paths, lambda, e))
  const t1 = performance.now()
  const cpu = entries.map((e) => pathMomentum(paths, lambda, e, { derivative: true, mixture: true }))
  const fisher = cpu.map((m) => fisherArrays(paths, lambda, m))
  const t2 = performance.now()
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30)
  const outputs: OutputCheck[] = []
  entries.forEach((e, x) => {
    const g = gpu[x], c = cpu[x], name = e.kind
    // a muon differs when it stops on one side only, or (prior) its c̄ mixes other values
    const differs = (i: number) => g.stops[i] !== c.stops[i] || rel(g.c[i], c.c[i]) > 0.01
    let differ = 0, stops = 0
    const err = { 'c̄': 0, 'c above': 0, 'c below': 0, κ: 0 }
    for (let i = 0; i < n; i++) {
      stops += c.stops[i]
      if (differs(i)) { differ++; continue }
      err['c̄'] = Math.max(err['c̄'], rel(g.c[i], c.c[i]))
      err['c above'] = Math.max(err['c above'], rel(g.cIn[i], c.cIn[i]))
      err['c below'] = Math.max(err['c below'], rel(g.cOut[i], c.cOut[i]))
      if (c.kappa) err.κ = Math.max(err.κ, rel(g.kappa![i], c.kappa[i]))
    }
    if (!c.kappa) delete (err as Partial<typeof err>).κ
    outputs.push(
      ...Object.entries(err).map(([k, maxError]) => ({ name: `${name} ${k}`, maxError, tolerance: MOMENTUM_REL, scale: 'relative' as const })),
      { name: `${name} ∂c̄/∂λ`, maxError: perMuonError(paths, g.dc!, c.dc!, differs), tolerance: DERIVATIVE_REL, scale: 'relative' },
      ...(c.ds ? [{ name: `${name} ∂s/∂λ`, maxError: perMuonError(paths, g.ds!, c.ds, differs), tolerance: DERIVATIVE_REL, scale: 'relative' as const }] : []),
      { name: `${name} muons`, maxError: differ / n, tolerance: MOMENTUM_DIFFER, scale: 'fraction' },
    )
    // the Fisher term's constants made from them (fisher-blocks.ts fisherArrays)
    const f64 = (a: Float32Array) => Float64Array.from(a)
    const cg = Float64Array.from({ length: n }, (_, i) => (differs(i) ? 0 : g.fisher.cg[i]))
    outputs.push(
      compare(`${name} c·g`, Float32Array.from(cg), Float64Array.from(fisher[x].cg, (v, i) => (differs(i) ? 0 : v)), 'relative', MOMENTUM_REL),
      ...(['a', 'b'] as const).map((k) => ({
        name: `${name} fisher ${k}`, maxError: perMuonError(paths, f64(g.fisher[k]), f64(fisher[x][k]), differs), tolerance: DERIVATIVE_REL, scale: 'relative' as const,
      })),
    )
    // the point values mean something only if some muons stop (and not all)
    if (e.kind === 'point') outputs.push({ name: 'point muons stopping', maxError: stops > 0 && stops < n ? 0 : Infinity, tolerance: 0, scale: 'absolute' })
  })
  return result('momentum derivative', n, outputs, t1 - t0, t2 - t1)
}
