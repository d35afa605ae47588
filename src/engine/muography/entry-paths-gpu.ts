/// <reference types="@webgpu/types" />
// A batch's inner entry lines (absorption-data.ts) made and traced on the GPU from the propagation kernel's tracks
// where they lie (gpu/track-lines.ts, gpu/path-resident.ts), with the crossing energies under the true densities
// (the Fisher term's absorption constants: absorption-fisher.ts) walked on the same rows when asked. Queued behind the
// batch's simulation, the lines, the rows, the totals and the crossing energies come back in its wait; the entries
// and their gradients in a second one. The CPU keeps the lines the GPU traced, so that which muons it uses and the
// paths agree.
import type { CrossingEnergy } from './absorption'
import { SIDE_MARGIN_M, type EntryPaths } from './absorption-data'
import type { PathMatrix } from './paths'
import type { VoxelVolume } from './types'
import { outFloat32, outInt32 } from '../parallel/blocks'
import { crossingFrom, queueCrossingGpu } from '../gpu/absorption'
import { readBuffer, readFloats } from '../gpu/device'
import { queueResidentGpu } from '../gpu/path-resident'
import { entryLinesGpu, LINE_FLOATS } from '../gpu/track-lines'

/** traceEntryLines of the n muons in `tracks` (the propagation kernel's output), on the GPU; with `lambdaTrue`, also
 *  their crossing energies under it (crossingEnergy's result). `sized`: when the first wait is over (the second
 *  read, of the entries, then starts) */
export function traceEntryTracksGpu(
  device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, n: number, lambdaTrue: ArrayLike<number> | null,
): { sized: Promise<unknown>; traced: Promise<EntryPaths & { crossing?: CrossingEnergy }> } {
  const lines = entryLinesGpu(device, vol, tracks, n, SIDE_MARGIN_M)
  const q = queueResidentGpu(device, vol, lines, 'entry')
  const walked = lambdaTrue ? queueCrossingGpu(device, q.rows, n, n * q.slots.cap, lambdaTrue) : null
  // read now: the next trace rewrites the slots' totals
  const first = Promise.all([
    readFloats(device, lines.buffer, LINE_FLOATS * n), readBuffer(device, q.rows.rowStart, 4 * (n + 1)),
    readFloats(device, q.slots.total, n), walked ? readFloats(device, walked.tau, n) : null, q.nnz,
  ])
  const traced = (async () => {
    const [packed, rowBytes, total, tau, nnz] = await first
    const [pairBytes, walk] = await Promise.all([
      readBuffer(device, q.rows.entries, 8 * nnz), walked && nnz ? readFloats(device, walked.walk, 2 * nnz) : new Float32Array(0),
    ])
    const paths = pathMatrix(new Uint32Array(rowBytes), new Uint32Array(pairBytes), total, nnz, vol.nx * vol.ny * vol.nz)
    const crossing = tau ? crossingFrom(tau, walk, nnz) : undefined
    return { lines: unpackLines(packed, n, lines.zIn, lines.zOut), paths, crossing }
  })()
  return { sized: first, traced }
}

/** the lines in the trace kernel's layout (gpu/paths.ts packLines) as a LinePair with its `use` */
function unpackLines(packed: Float32Array, n: number, zIn: number, zOut: number): EntryPaths['lines'] {
  const col = (c: number) => Float32Array.from({ length: n }, (_, i) => packed[LINE_FLOATS * i + c])
  const use = Uint8Array.from({ length: n }, (_, i) => packed[LINE_FLOATS * i + 8])
  return {
    n, zIn, zOut, inX: col(0), inY: col(1), inTx: col(2), inTy: col(3), outX: col(4), outY: col(5), outTx: col(6), outTy: col(7), use,
  }
}

/** the rows (per muon its first entry, then nnz) and entries (voxel, bits of the length) as a path matrix (on shared
 *  memory: the kernel threads read it) */
function pathMatrix(rowStart: Uint32Array, pairs: Uint32Array, totals: Float32Array, nnz: number, nVoxels: number): PathMatrix {
  const n = totals.length
  const muon = outInt32(nnz), voxel = outInt32(nnz), length = outFloat32(nnz), total = outFloat32(n)
  total.set(totals)
  const bits = new Uint32Array(length.buffer, length.byteOffset, nnz)
  for (let k = 0; k < nnz; k++) { voxel[k] = pairs[2 * k]; bits[k] = pairs[2 * k + 1] }
  for (let i = 0; i < n; i++) muon.fill(i, rowStart[i], rowStart[i + 1])
  return { nnz, nMuons: n, nVoxels, muon, voxel, length, total }
}
