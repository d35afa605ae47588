/// <reference types="@webgpu/types" />
// A batch's inner entry lines (absorption-data.ts) made and traced on the GPU from the propagation kernel's tracks
// where they lie (gpu/track-lines.ts, gpu/path-resident.ts), with the crossing energies under the true densities
// walked on the same rows when asked: the Fisher term's absorption constants are made from them there
// (absorption-fisher.ts absorptionFisherConstantsResident). Queued behind the batch's simulation, the lines, the
// rows' starts, the totals and ln T_cross come back in its wait. The entries come back only when an X0 solve that
// takes the absorption term's observations on the CPU asks for the path matrix (paths(): the validation's, a map
// solved after its step); a step's map reads them where they lie. The CPU keeps the lines the GPU traced, so that
// which muons it uses and the paths agree.
import type { EntryPaths } from './absorption-data'
import { SIDE_MARGIN_M } from './absorption-data'
import type { PathMatrix } from './paths'
import type { VoxelVolume } from './types'
import { outFloat32, outInt32 } from '../parallel/blocks'
import { crossingLnT, queueCrossingGpu } from '../gpu/absorption'
import type { EntryRowsGpu } from '../gpu/absorption-fisher-entries'
import { readBuffer, readFloats } from '../gpu/device'
import { queueResidentGpu } from '../gpu/path-resident'
import { entryLinesGpu, LINE_FLOATS } from '../gpu/track-lines'

/** an entry trace queued on the GPU (traceEntryTracksGpu) */
export interface EntryTrace {
  /** after the first wait: the lines and the entry count; with lambdaTrue, ln T_cross per muon and the rows with the
   *  walk, on the GPU until the next entry trace or crossing walk (each caller uses them before it traces again) */
  sized: Promise<{ lines: EntryPaths['lines']; nnz: number; walked: EntryWalk | null }>
  /** the path matrix on the CPU: its entries are read on the first call, or when the next entry trace is queued,
   *  which rewrites them, unless released first */
  paths(): Promise<EntryPaths>
  /** nobody will ask for paths(): the next trace need not read the entries */
  release(): void
}

/** an entry trace's crossing walk: ln T_cross per muon, and the rows with ∂ ln T_cross/∂λ per entry on the GPU */
export interface EntryWalk {
  lnT: Float64Array
  rows: EntryRowsGpu
}

/** the read of the last trace's entries, if nobody has asked for it yet */
let unread: (() => unknown) | null = null

/** traceEntryLines of the n muons in `tracks` (the propagation kernel's output), on the GPU; with `lambdaTrue`, also
 *  their crossing energies under it (crossingEnergy's) */
export function traceEntryTracksGpu(
  device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, n: number, lambdaTrue: ArrayLike<number> | null,
): EntryTrace {
  unread?.()
  const lines = entryLinesGpu(device, vol, tracks, n, SIDE_MARGIN_M)
  const q = queueResidentGpu(device, vol, lines, 'entry')
  const walked = lambdaTrue ? queueCrossingGpu(device, q.rows, n, n * q.slots.cap, lambdaTrue) : null
  // read now: the next trace rewrites the slots' totals
  const first = Promise.all([
    readFloats(device, lines.buffer, LINE_FLOATS * n), readBuffer(device, q.rows.rowStart, 4 * (n + 1)),
    readFloats(device, q.slots.total, n), walked ? readFloats(device, walked.tau, n) : null, q.nnz(),
  ])
  // what the first wait brought, once it is over
  let back: { lines: EntryPaths['lines']; rowStart: Uint32Array; total: Float32Array; nnz: number } | null = null
  const sized = first.then(([packed, rowBytes, total, tau, nnz]) => {
    back = { lines: unpackLines(packed, n, lines.zIn, lines.zOut), rowStart: new Uint32Array(rowBytes), total, nnz }
    return { lines: back.lines, nnz, walked: tau && walked && { lnT: crossingLnT(tau), rows: { n, nnz, ...q.rows, walk: walked.walk } } }
  })
  // the entries' read starts at once when the sizes are back (so that a trace queued right after cannot rewrite them
  // first), else once they are
  const readEntries = (b: NonNullable<typeof back>): Promise<EntryPaths> => readBuffer(device, q.rows.entries, 8 * b.nnz)
    .then((bytes) => ({ lines: b.lines, paths: pathMatrix(b.rowStart, new Uint32Array(bytes), b.total, b.nnz, vol.nx * vol.ny * vol.nz) }))
  let read: Promise<EntryPaths> | null = null
  const paths = () => (read ??= back ? readEntries(back) : sized.then(() => readEntries(back!)))
  const asked = () => {
    if (unread === flush) unread = null
    return paths()
  }
  // whoever asks later gets the read's failure
  const flush = () => { asked().catch(() => undefined) }
  unread = flush
  return { sized, paths: asked, release: () => { if (unread === flush) unread = null } }
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
