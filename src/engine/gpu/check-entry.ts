/// <reference types="@webgpu/types" />
// The absorption term's entry paths made from the propagation kernel's tracks where they lie
// (muography/entry-paths-gpu.ts) against the CPU's of the same tracks read back: the lines against innerEntryLines
// (float32 against float64; which muons are used, exactly), the paths against the trace of those lines uploaded
// (gpu/paths.ts, itself checked against buildPaths: every entry exactly), and the crossing energies walked on the
// resident rows against crossingEnergy of those paths.
import { crossingEnergy } from '../muography/absorption'
import { innerEntryLines } from '../muography/absorption-data'
import { traceEntryTracksGpu } from '../muography/entry-paths-gpu'
import type { MuonTracks, VoxelVolume } from '../muography/types'
import { compare, finiteFloats, perMuonError, type OutputCheck } from './check-compare'
import { packLines, tracePathsOnGpu } from './paths'

/** ln T_cross and its gradient in float32 against float64 (as the absorption check's) */
const CROSSING_REL = 1e-4

export async function entryOutputs(
  device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, read: MuonTracks, linesRel: number,
): Promise<OutputCheck[]> {
  const n = read.n
  const lambda = Float64Array.from(vol.x0, (x) => 1 / x)
  const got = await traceEntryTracksGpu(device, vol, tracks, n, lambda).traced
  const want = innerEntryLines(vol, read)
  // the eight columns relative to the larger of 1 and the value, `use` apart
  const [g, w] = [packLines(got.lines), packLines(want)]
  let lines = 0, use = 0
  for (let k = 0; k < w.length; k++) {
    const d = Math.abs(g[k] - w[k])
    if (k % 9 === 8) use = Math.max(use, d)
    else lines = Math.max(lines, Number.isNaN(d) ? Infinity : d / Math.max(1, Math.abs(w[k])))
  }
  const traced = await tracePathsOnGpu(device, vol, got.lines)
  const entries = [
    compare('', Float32Array.from(got.paths.muon), traced.muon, 'absolute', 0), compare('', Float32Array.from(got.paths.voxel), traced.voxel, 'absolute', 0),
    compare('', got.paths.length, traced.length, 'absolute', 0), compare('', got.paths.total, traced.total, 'absolute', 0),
  ].reduce((m, o) => Math.max(m, o.maxError), 0)
  const cpu = crossingEnergy(got.paths, lambda)
  const crossing = got.crossing
  return [
    { name: 'entry lines', maxError: lines, tolerance: linesRel, scale: 'relative' },
    { name: 'entry lines used', maxError: use, tolerance: 0, scale: 'absolute' },
    { name: 'entry paths', maxError: entries, tolerance: 0, scale: 'absolute' },
    crossing ? compare('entry crossing ln T', finiteFloats(crossing.lnT), finiteFloats(cpu.lnT), 'absolute', CROSSING_REL)
      : { name: 'entry crossing ln T', maxError: Infinity, tolerance: CROSSING_REL, scale: 'absolute' },
    {
      name: 'entry crossing ∂ln T/∂λ', maxError: crossing ? perMuonError(got.paths, crossing.grad, cpu.grad, () => false) : Infinity,
      tolerance: CROSSING_REL, scale: 'relative',
    },
  ]
}
