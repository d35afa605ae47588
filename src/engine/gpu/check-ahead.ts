/// <reference types="@webgpu/types" />
// A batch queued on the GPU at one set of panel heights and taken at another (a step's next batch, queued before
// the step moves its panels: pipeline.ts queueSimulationOnGpu) against the batch simulated at the second heights,
// for gpu/check.ts's detector check: the same muons and draws, identical, and the stacks' sums Σ g b² at the heights
// it is taken at (made again on the CPU, in float32 against the detector kernel's float32).
import { benchDesign } from '../muography/bench-scenario'
import { createPanelParams } from '../muography/panels'
import { queueSimulationOnGpu, simulateOnGpu, type SimBatch } from '../muography/pipeline'
import { TRACK_KEYS } from '../muography/sim-blocks'
import { buildVolume } from '../muography/volume'
import { compare, largestDifference, type OutputCheck } from './check-compare'

/** a sum of a few float32 products, rounded on each side in its own order */
const SUMS_REL = 1e-5

export async function aheadOutputs(device: GPUDevice, n: number): Promise<OutputCheck[]> {
  const design = benchDesign(n)
  const vol = buildVolume(design.volume)
  const panels = createPanelParams(design.detector)
  // the second panel of each stack 3 cm further from the volume when the batch is taken: the slope sensitivities
  // change (moving or stretching a whole stack would leave them), the muons do not
  const second = [0, 1].map((s) => design.detector.panels.findIndex((_, j) => panels.stackIndex[j] === s) + 1)
  const moved = design.detector.panels.map((p, j) => p.z + (j === second[0] ? 0.03 : j === second[1] ? -0.03 : 0))
  const queued = queueSimulationOnGpu(device, design, vol, panels, n, 9, 'train')
  const ahead = await queued.take(moved)
  const now = await simulateOnGpu(device, design, vol, panels, n, 9, 'train', moved)
  panels.dispose()
  const kept = (b: SimBatch) => [...TRACK_KEYS.map((k) => b.tracks[k]), b.present, b.panelGeometry.g]
  const sums = (b: SimBatch) => Float32Array.from([...b.panelGeometry.above, ...b.panelGeometry.below])
  const a = kept(ahead), b = kept(now)
  return [
    { name: 'ahead batch', maxError: largestDifference(a.map((x, i) => [Float32Array.from(x), b[i]] as const)), tolerance: 0, scale: 'absolute' },
    compare('ahead sums', sums(ahead), sums(now), 'relative', SUMS_REL),
  ]
}
