/// <reference types="@webgpu/types" />
// The resident path matrix (gpu/path-resident.ts) against the same trace read back (gpu/paths.ts readPaths): the
// same kernels traced both, so the tape's tensors must hold the read-back matrix's entries and coverage exactly, and
// the Fisher term's constants made from the resident rows must be those made from the uploaded matrix, bit for bit.
import { disposeFisherConstants } from '../muography/fisher'
import { disposePathTensors, pathTensors } from '../muography/path-tensors'
import type { LinePair, PathMatrix } from '../muography/paths'
import type { VoxelVolume } from '../muography/types'
import { compare, largestDifference, tensorValues, type OutputCheck } from './check-compare'
import { fisherOnGpu } from './momentum-derivative'
import { residentPathTensors, traceResidentGpu } from './path-resident'

const asFloats = (a: ArrayLike<number>) => Float32Array.from(a)

export async function residentOutputs(device: GPUDevice, vol: VoxelVolume, lines: LinePair, readBack: PathMatrix): Promise<OutputCheck[]> {
  const resident = await traceResidentGpu(device, vol, lines)
  const got = residentPathTensors(resident), want = pathTensors(readBack)
  const [muon, voxel, length, covered, wantCovered] = await Promise.all([got.muon, got.voxel, got.length, got.covered, want.covered].map(tensorValues))
  disposePathTensors(got)
  disposePathTensors(want)
  // every entry's muon, voxel and length (an entry count that differs fails the comparison)
  const entries = largestDifference([[asFloats(muon), readBack.muon], [asFloats(voxel), readBack.voxel], [asFloats(length), readBack.length]])
  // a point momentum slowed through the volume's own densities: the derivative walk, with the constants made from it
  const lambda = Float64Array.from(vol.x0, (x) => 1 / x)
  const entry = { kind: 'point' as const, p: new Float32Array(lines.n).fill(2), energyLoss: true }
  const [a, b] = [await fisherOnGpu(device, resident, lambda, entry), await fisherOnGpu(device, readBack, lambda, entry)]
  let fisher = Infinity
  if (a && b) {
    const parts = (k: typeof a.constants) => [k.cg, k.a, k.b]
    const [ga, gb] = await Promise.all([Promise.all(parts(a.constants).map((t) => t.data())), Promise.all(parts(b.constants).map((t) => t.data()))])
    fisher = largestDifference(ga.map((v, i) => [v as Float32Array, gb[i] as Float32Array] as const))
    disposeFisherConstants(a.constants)
    disposeFisherConstants(b.constants)
  }
  return [
    { name: 'resident entries', maxError: entries, tolerance: 0, scale: 'absolute' },
    compare('resident covered', asFloats(covered), wantCovered, 'absolute', 0),
    { name: 'resident fisher', maxError: fisher, tolerance: 0, scale: 'absolute' },
  ]
}
