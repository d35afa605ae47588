/// <reference types="@webgpu/types" />
// A path matrix that stays on the GPU: a step's true paths on webgpu (the Fisher term's, from lines made from the
// propagation's tracks on the GPU: gpu/track-lines.ts), the fitted lines' paths of its map or its x0 loss (the EM's)
// and a batch's entry lines' paths (the absorption term's crossing energies: muography/entry-paths-gpu.ts). Traced
// and packed there (gpu/paths.ts, gpu/path-pack.ts), then laid out as the kernels read a matrix (per muon its first
// entry, per entry its voxel and the bits of its length: gpu/momentum-derivative.ts, gpu/em.ts, gpu/absorption.ts)
// and, for the paths a tape reads, as the columns the tape's path tensors are made of (muon, voxel, length per entry:
// path-tensors.ts). Only nnz comes back, for the sizes; a trace is queued, and its read started, so that the caller
// can queue more before it waits. The buffers are each role's own (the packing's are shared by every trace, and the
// step traces other lines before its loss) and persist across steps, sized for n muons' slots; everything up to
// them is queued before the read of nnz, so a trace queued meanwhile cannot overwrite the packing's buffers first.
// The columns are then copied to buffers with room for nnz entries (KernelBuffers.room: kept from step to step), and
// the tape's tensors are their first nnz. A tape that cannot wait for nnz (the x0 loss's, whose step reads once)
// takes columns of a guessed size, masked on the GPU by the count its role's buffers keep.
import { tf } from '../core/tensor'
import type { PathTensors } from '../muography/path-tensors'
import type { LinePair } from '../muography/paths'
import type { VoxelVolume } from '../muography/types'
import { computePipeline, dispatch, KernelBuffers, perDevice, readBuffer, WGSL_INDEX, WORKGROUP } from './device'
import { packPathsGpu } from './path-pack'
import { tracePathsGpu, type PathBuffers } from './paths'
import type { GpuLines } from './track-lines'

const ROWS = /* wgsl */ `
// muons: 1 when the tape's columns are made (each entry's muon is written), else 0
struct Params { n: u32, muons: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> count: array<u32>;
@group(0) @binding(2) var<storage, read> local: array<u32>;
@group(0) @binding(3) var<storage, read> groupStart: array<u32>;
@group(0) @binding(4) var<storage, read> voxel: array<i32>;
@group(0) @binding(5) var<storage, read> len: array<f32>;
@group(0) @binding(6) var<storage, read_write> rowStart: array<u32>;
@group(0) @binding(7) var<storage, read_write> entries: array<vec2<u32>>;
@group(0) @binding(8) var<storage, read_write> muon: array<i32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let o = groupStart[i / ${WORKGROUP}u] + local[i];
  rowStart[i] = o;
  // the last muon's entries end where nnz is
  if (i == prm.n - 1u) { rowStart[prm.n] = o + count[i]; }
  for (var k = o; k < o + count[i]; k++) {
    entries[k] = vec2<u32>(u32(voxel[k]), bitcast<u32>(len[k]));
    if (prm.muons != 0u) { muon[k] = i32(i); }
  }
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds path rows', ROWS),
  buffers: new KernelBuffers(device),
}))

/** a path matrix on the GPU (muon order): rowStart [nMuons + 1], entries as (voxel, bits of the length) (a longer
 *  buffer: nnz are used), and for the tape per entry its muon, voxel and length (nnz of them; null for the map's
 *  paths, which only the EM reads) */
export interface ResidentPaths {
  nMuons: number
  nVoxels: number
  nnz: number
  rowStart: GPUBuffer
  entries: GPUBuffer
  columns: { muon: GPUBuffer; voxel: GPUBuffer; length: GPUBuffer } | null
  /** where nnz only bounds the entries (the tape's columns made before their count came back): the count, on the
   *  GPU (residentPathTensors keeps the first `count` entries of the columns) */
  count?: GPUBuffer
}

export function isResident(p: object): p is ResidentPaths {
  return 'rowStart' in p && 'entries' in p
}

/** a trace queued on the GPU (queueResidentGpu): its slots, its rows in muon order, and its nnz as it is read */
export interface QueuedPaths {
  slots: PathBuffers
  rows: Pick<ResidentPaths, 'rowStart' | 'entries'>
  /** nnz read back, the read started on the first call: make it before the next trace is queued (it rewrites the
   *  packing's count), or never (a tape sized by a guess reads the count with its loss) */
  nnz(): Promise<number>
  /** the matrix, once nnz has come back (the tape's columns are then copied, nnz of them); for the EM alone,
   *  whose kernels read the rows, a bound on nnz sizes what is made from it before it comes back. `bound`: nnz is a
   *  guess at the count, made before it comes back (at most every slot): the tape's columns are copied to that size,
   *  with the count (ResidentPaths.count), and the caller compares the count with it */
  finish(nnz: number, bound?: boolean): ResidentPaths
}

/** which paths a trace holds: a step's true paths and, for the x0 loss, its fitted lines' paths ('reco'), both with
 *  the tape's columns; the fitted lines' paths of a map and a batch's entry lines' paths, rows only */
export type PathRole = 'truth' | 'reco' | 'fitted' | 'entry'

/** buildPaths of the lines on the GPU, in the buffers of `role` (each keeps its own), queued, with the read of nnz
 *  started */
export function queueResidentGpu(device: GPUDevice, vol: VoxelVolume, lines: LinePair | GpuLines, role: PathRole): QueuedPaths {
  const k = kernel(device), buf = k.buffers
  const n = lines.n, slots = tracePathsGpu(device, vol, lines)
  const packed = packPathsGpu(device, n, slots.cap, slots)
  const room = n * slots.cap
  const rows = { rowStart: buf.storage(`${role} rows`, 4 * (n + 1)), entries: buf.storage(`${role} entries`, 8 * room) }
  // the tape's columns, at first in slots (the rows pass writes each entry's muon there)
  const tape = role === 'truth' || role === 'reco'
  const slotColumns = tape
    ? ['muon', 'voxel', 'length'].map((c) => buf.storage(`${role} ${c} slots`, 4 * room))
    : [buf.storage(`${role} muon slots`, 4)]
  const params = buf.uniform(`${role} params`, 16)
  device.queue.writeBuffer(params, 0, Uint32Array.of(n, tape ? 1 : 0, 0, 0))
  dispatch(device, k.pipeline, [params, slots.count, packed.local, packed.groupStart, packed.voxel, packed.length, rows.rowStart, rows.entries, slotColumns[0]], n)
  // the count too, where this role's buffers keep it: the packing's is rewritten by the next trace
  const count = tape ? buf.storage(`${role} count`, 4) : null
  if (tape) {
    copy(device, [[packed.voxel, slotColumns[1]], [packed.length, slotColumns[2]]], 4 * room)
    copy(device, [[packed.nnz, count!]], 4)
  }
  const finish = (guess: number, bound = false): ResidentPaths => {
    const nnz = bound ? Math.min(guess, room) : guess
    let columns: ResidentPaths['columns'] = null
    if (tape) {
      const [muon, voxel, length] = ['muon', 'voxel', 'length'].map((c) => buf.room(`${role} ${c}`, 4 * nnz))
      copy(device, [[slotColumns[0], muon], [slotColumns[1], voxel], [slotColumns[2], length]], 4 * nnz)
      columns = { muon, voxel, length }
    }
    return { nMuons: n, nVoxels: vol.nx * vol.ny * vol.nz, nnz, ...rows, columns, ...(bound && count ? { count } : {}) }
  }
  let read: Promise<number> | null = null
  const nnz = () => (read ??= readBuffer(device, packed.nnz, 4).then((b) => new Uint32Array(b)[0]))
  return { slots, rows, nnz, finish }
}

/** queueResidentGpu, its nnz awaited (at least one muon) */
export async function traceResidentGpu(
  device: GPUDevice, vol: VoxelVolume, lines: LinePair | GpuLines, role: 'truth' | 'fitted' = 'truth',
): Promise<ResidentPaths> {
  const q = queueResidentGpu(device, vol, lines, role)
  return q.finish(await q.nnz())
}

function copy(device: GPUDevice, pairs: [GPUBuffer, GPUBuffer][], bytes: number): void {
  const enc = device.createCommandEncoder()
  for (const [from, to] of pairs) enc.copyBufferToBuffer(from, 0, to, 0, bytes)
  device.queue.submit([enc.finish()])
}

/** pathTensors of a resident matrix, on the GPU: the columns are read where they lie (no copy; the next trace
 *  rewrites them, after this step's tape), and the voxels a path crosses are those whose lengths sum above 0 (the
 *  lengths are never negative). Columns longer than their count keep their first `count` entries and are zeros
 *  after them (muon 0, voxel 0, length 0: an entry that adds nothing to any sum) */
export function residentPathTensors(p: ResidentPaths): PathTensors {
  const c = p.columns
  if (!c) throw new Error('these paths were left on the GPU for the EM alone: no columns for the tape')
  const column = (buffer: GPUBuffer, dtype: 'int32' | 'float32') => tf.tensor({ buffer, zeroCopy: true }, [p.nnz], dtype) as tf.Tensor1D
  const raw = [column(c.muon, 'int32'), column(c.voxel, 'int32'), column(c.length, 'float32')]
  const [muon, voxel, length] = p.count ? firstEntries(raw, p.nnz, p.count) : raw
  const covered = tf.tidy(() => tf.cast(tf.greater(tf.unsortedSegmentSum(length, voxel, p.nVoxels), 0), 'float32') as tf.Tensor1D)
  return { nMuons: p.nMuons, nVoxels: p.nVoxels, muon, voxel, length, covered }
}

/** the first `count` entries of columns of nnz, zeros after them; the columns are disposed */
function firstEntries(columns: tf.Tensor1D[], nnz: number, count: GPUBuffer): tf.Tensor1D[] {
  const kept = tf.tidy(() => tf.less(tf.range(0, nnz, 1, 'int32'), entryCount(count)))
  const out = columns.map((t) => tf.tidy(() => tf.where(kept, t, tf.zerosLike(t)) as tf.Tensor1D))
  tf.dispose([kept, ...columns])
  return out
}

/** a trace's entry count (ResidentPaths.count) as an int32 tensor [1]: tfjs copies the buffer at once */
export function entryCount(count: GPUBuffer): tf.Tensor1D {
  return tf.tensor({ buffer: count }, [1], 'int32') as tf.Tensor1D
}
