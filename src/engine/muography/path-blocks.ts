// Path tracing (paths.ts) on the kernel threads (parallel/blocks.ts): each block of muons is traced into a private
// buffer and copied into its own region of a shared one; the regions are then packed in block order, which is the
// muon order (each block copies its own region, on the kernel threads), so the matrix is the one buildPaths gives.
// A block whose entries do not fit its region is traced again by the caller. The shared regions persist from call
// to call (two path matrices per step).
import { blockCount, outFloat32, outInt32, outUint8, parallel, runBlocks } from '../parallel/blocks'
import { buildPaths, EntryBuffer, traceMuons, type LinePair, type PathMatrix } from './paths'
import type { VoxelVolume } from './types'

export const PATH_BLOCK = 4096
/** room per muon in a block's region; a muon crossing a 10-voxel-high volume has about 12 entries */
const ROOM = 24

export interface PathJob {
  vol: VoxelVolume
  lines: LinePair
  total: Float32Array
  /** [blocks · PATH_BLOCK · ROOM] entries */
  muon: Int32Array
  voxel: Int32Array
  length: Float32Array
  /** per block: entries written, or −1 when they did not fit */
  count: Int32Array
}

export function pathBlock(job: PathJob, b: number): void {
  const i0 = b * PATH_BLOCK, i1 = Math.min(job.lines.n, i0 + PATH_BLOCK)
  const buf = new EntryBuffer((i1 - i0) * 12)
  traceMuons(job.vol, job.lines, i0, i1, buf, job.total)
  const room = PATH_BLOCK * ROOM
  if (buf.nnz > room) { job.count[b] = -1; return }
  const at = b * room
  job.muon.set(buf.muon.subarray(0, buf.nnz), at)
  job.voxel.set(buf.voxel.subarray(0, buf.nnz), at)
  job.length.set(buf.length.subarray(0, buf.nnz), at)
  job.count[b] = buf.nnz
}

let regions: Pick<PathJob, 'muon' | 'voxel' | 'length'> | null = null

function sharedRegions(entries: number): Pick<PathJob, 'muon' | 'voxel' | 'length'> {
  if (!regions || regions.muon.length < entries) regions = { muon: outInt32(entries), voxel: outInt32(entries), length: outFloat32(entries) }
  return regions
}

/** buildPaths on the kernel threads (the same matrix) */
export function tracePaths(vol: VoxelVolume, lines: LinePair): PathMatrix {
  const blocks = blockCount(lines.n, PATH_BLOCK)
  if (!parallel() || blocks < 2) return buildPaths(vol, lines)
  // the lines go to the threads on shared memory rather than as copies in each message
  const shared: LinePair = { n: lines.n, zIn: lines.zIn, zOut: lines.zOut, ...share(lines) }
  const job: PathJob = { vol, lines: shared, total: outFloat32(lines.n), count: outInt32(blocks), ...sharedRegions(blocks * PATH_BLOCK * ROOM) }
  runBlocks('paths', pathBlock, job, blocks)
  // a block that did not fit its region is traced again here, into a buffer of its own
  const spill = new Map<number, EntryBuffer>()
  for (let b = 0; b < blocks; b++) {
    if (job.count[b] >= 0) continue
    const i0 = b * PATH_BLOCK, buf = new EntryBuffer(PATH_BLOCK * ROOM * 2)
    traceMuons(vol, shared, i0, Math.min(lines.n, i0 + PATH_BLOCK), buf, job.total)
    spill.set(b, buf)
  }
  const at = outInt32(blocks + 1)
  for (let b = 0; b < blocks; b++) at[b + 1] = at[b] + (spill.get(b)?.nnz ?? job.count[b])
  const nnz = at[blocks]
  // on shared memory: the EM solve and the momentum model read them on the kernel threads
  const pack: PackJob = { from: { muon: job.muon, voxel: job.voxel, length: job.length, count: job.count }, at, muon: outInt32(nnz), voxel: outInt32(nnz), length: outFloat32(nnz) }
  runBlocks('pathsPack', packBlock, pack, blocks)
  for (const [b, buf] of spill) {
    pack.muon.set(buf.muon.subarray(0, buf.nnz), at[b])
    pack.voxel.set(buf.voxel.subarray(0, buf.nnz), at[b])
    pack.length.set(buf.length.subarray(0, buf.nnz), at[b])
  }
  return { nnz, nMuons: lines.n, nVoxels: vol.nx * vol.ny * vol.nz, muon: pack.muon, voxel: pack.voxel, length: pack.length, total: job.total }
}

export interface PackJob {
  /** the blocks' regions (only these arrays: a job's other members would be copied into every message) */
  from: Pick<PathJob, 'muon' | 'voxel' | 'length' | 'count'>
  /** per block: where its entries go (blocks + 1 numbers) */
  at: Int32Array
  muon: Int32Array
  voxel: Int32Array
  length: Float32Array
}

/** copy block b's region into its place in the packed matrix (a block that did not fit is left to the caller) */
export function packBlock(job: PackJob, b: number): void {
  const n = job.from.count[b]
  if (n < 0) return
  const src = b * PATH_BLOCK * ROOM, to = job.at[b]
  job.muon.set(job.from.muon.subarray(src, src + n), to)
  job.voxel.set(job.from.voxel.subarray(src, src + n), to)
  job.length.set(job.from.length.subarray(src, src + n), to)
}

function share(lines: LinePair): Omit<LinePair, 'n' | 'zIn' | 'zOut'> {
  const copy = (a: ArrayLike<number>) => { const o = outFloat32(lines.n); o.set(a); return o }
  let use: Uint8Array | undefined
  if (lines.use) { use = outUint8(lines.n); use.set(lines.use) }
  return {
    inX: copy(lines.inX), inY: copy(lines.inY), inTx: copy(lines.inTx), inTy: copy(lines.inTy),
    outX: copy(lines.outX), outY: copy(lines.outY), outTx: copy(lines.outTx), outTy: copy(lines.outTy), use,
  }
}
