/// <reference types="@webgpu/types" />
// A resident path matrix by voxel (gpu/path-resident.ts), as the EM kernel's voxel passes read it: per voxel its
// first entry (nVoxels + 1), and per entry its muon and the bits of its length, in muon order within each voxel, as
// the CPU's transpose orders them (muography/em-blocks.ts pathsByVoxel). A stable counting sort over blocks of
// muons: each block counts its entries per voxel, each voxel turns its blocks' counts into their offsets, one
// invocation turns the voxels' totals into their starts, and each block writes its entries in muon order. The
// absorption term's passes (gpu/absorption.ts) read an entry trace by voxel too, each entry as its own index.
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import type { ResidentPaths } from './path-resident'

/** muons per block: the counts take nVoxels · ⌈nMuons / BLOCK⌉ words */
const BLOCK = 64

const PARAMS = /* wgsl */ `
// byEntry: 1 when each entry is written as its own index instead of its muon
struct Params { nMuons: u32, nVoxels: u32, nBlocks: u32, byEntry: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
`

const COUNT = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
// per block and voxel: the block's entries in the voxel
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let b = ${WGSL_INDEX};
  if (b >= prm.nBlocks) { return; }
  let o = b * prm.nVoxels;
  for (var j = 0u; j < prm.nVoxels; j++) { counts[o + j] = 0u; }
  let k1 = rowStart[min(prm.nMuons, (b + 1u) * ${BLOCK}u)];
  for (var k = rowStart[b * ${BLOCK}u]; k < k1; k++) { counts[o + entries[k].x] += 1u; }
}
`

const OFFSETS = PARAMS + /* wgsl */ `
// per block and voxel: the count, replaced by where the block's entries start within the voxel's
@group(0) @binding(1) var<storage, read_write> counts: array<u32>;
@group(0) @binding(2) var<storage, read_write> totals: array<u32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = ${WGSL_INDEX};
  if (j >= prm.nVoxels) { return; }
  var s = 0u;
  for (var b = 0u; b < prm.nBlocks; b++) {
    let c = counts[b * prm.nVoxels + j];
    counts[b * prm.nVoxels + j] = s;
    s += c;
  }
  totals[j] = s;
}
`

const STARTS = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> totals: array<u32>;
@group(0) @binding(2) var<storage, read_write> colStart: array<u32>;

@compute @workgroup_size(1)
fn main() {
  var s = 0u;
  for (var j = 0u; j < prm.nVoxels; j++) {
    colStart[j] = s;
    s += totals[j];
  }
  colStart[prm.nVoxels] = s;
}
`

const SCATTER = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> colStart: array<u32>;
@group(0) @binding(4) var<storage, read_write> counts: array<u32>;
// per entry, by voxel: muon (or the entry's index), bits of the length
@group(0) @binding(5) var<storage, read_write> colEntries: array<vec2<u32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let b = ${WGSL_INDEX};
  if (b >= prm.nBlocks) { return; }
  let o = b * prm.nVoxels;
  let i1 = min(prm.nMuons, (b + 1u) * ${BLOCK}u);
  for (var i = b * ${BLOCK}u; i < i1; i++) {
    for (var k = rowStart[i]; k < rowStart[i + 1u]; k++) {
      let en = entries[k];
      let q = colStart[en.x] + counts[o + en.x];
      counts[o + en.x] += 1u;
      colEntries[q] = vec2<u32>(select(i, k, prm.byEntry != 0u), en.y);
    }
  }
}
`

const kernels = perDevice((device) => {
  const pipeline = (label: string, code: string) => computePipeline(device, label, code)
  return {
    count: pipeline('dds columns count', COUNT), offsets: pipeline('dds columns offsets', OFFSETS),
    starts: pipeline('dds columns starts', STARTS), scatter: pipeline('dds columns scatter', SCATTER),
    buffers: new KernelBuffers(device),
  }
})

/** the matrix by voxel: colStart [nVoxels + 1] and colEntries [nnz] as (muon, bits of the length), or for the
 *  absorption term (entry index, bits of the length); each use keeps its own outputs. nnz may be a bound (the rows
 *  say how many there are) */
export function columnsGpu(
  device: GPUDevice, p: Pick<ResidentPaths, 'nMuons' | 'nVoxels' | 'nnz' | 'rowStart' | 'entries'>, use: 'em' | 'absorption' = 'em',
): { colStart: GPUBuffer; colEntries: GPUBuffer } {
  const k = kernels(device), buf = k.buffers
  const nBlocks = Math.ceil(p.nMuons / BLOCK)
  const params = buf.uniform(`${use} columns params`, 16)
  device.queue.writeBuffer(params, 0, Uint32Array.of(p.nMuons, p.nVoxels, nBlocks, use === 'absorption' ? 1 : 0))
  const counts = buf.storage('columns counts', 4 * nBlocks * p.nVoxels), totals = buf.storage('columns totals', 4 * p.nVoxels)
  const colStart = buf.storage(`${use} columns starts`, 4 * (p.nVoxels + 1)), colEntries = buf.room(`${use} columns entries`, 8 * p.nnz)
  dispatch(device, k.count, [params, p.rowStart, p.entries, counts], nBlocks)
  dispatch(device, k.offsets, [params, counts, totals], p.nVoxels)
  dispatch(device, k.starts, [params, totals, colStart], 1)
  dispatch(device, k.scatter, [params, p.rowStart, p.entries, colStart, counts, colEntries], nBlocks)
  return { colStart, colEntries }
}
