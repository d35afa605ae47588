/// <reference types="@webgpu/types" />
// The path kernel's fixed slots (gpu/paths.ts: muon i's entries in [i·cap, i·cap + count[i])) packed in muon order
// on the GPU, so that only the entries come back, not every slot (about a third of them are used on the
// benchmark's volume): an exclusive prefix sum of the counts per workgroup (a scan in workgroup memory), one
// invocation that turns the workgroups' totals into their starts and nnz, and a pass that copies each muon's slots
// to its offset.
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'

const PARAMS = /* wgsl */ `
struct Params { n: u32, cap: u32, groups: u32, pad: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
`

const SCAN = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> count: array<u32>;
// per muon: its offset within its workgroup's entries; per workgroup: their number
@group(0) @binding(2) var<storage, read_write> local: array<u32>;
@group(0) @binding(3) var<storage, read_write> groupTotal: array<u32>;
var<workgroup> scan: array<u32, ${WORKGROUP}>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let i = ${WGSL_INDEX};
  var c = 0u;
  if (i < prm.n) { c = count[i]; }
  scan[li] = c;
  workgroupBarrier();
  // Hillis–Steele inclusive scan
  for (var d = 1u; d < ${WORKGROUP}u; d <<= 1u) {
    var v = 0u;
    if (li >= d) { v = scan[li - d]; }
    workgroupBarrier();
    scan[li] += v;
    workgroupBarrier();
  }
  if (i < prm.n) { local[i] = scan[li] - c; }
  let g = wid.x + wid.y * nwg.x;
  // a 2-D dispatch may hold workgroups past the last one with muons
  if (li == ${WORKGROUP - 1}u && g < prm.groups) { groupTotal[g] = scan[li]; }
}
`

const STARTS = PARAMS + /* wgsl */ `
// the workgroups' totals, replaced by their starts; then nnz
@group(0) @binding(1) var<storage, read_write> groupTotal: array<u32>;
@group(0) @binding(2) var<storage, read_write> nnz: array<u32>;

@compute @workgroup_size(1)
fn main() {
  var s = 0u;
  for (var g = 0u; g < prm.groups; g++) {
    let t = groupTotal[g];
    groupTotal[g] = s;
    s += t;
  }
  nnz[0] = s;
}
`

const COPY = PARAMS + /* wgsl */ `
@group(0) @binding(1) var<storage, read> count: array<u32>;
@group(0) @binding(2) var<storage, read> local: array<u32>;
@group(0) @binding(3) var<storage, read> groupStart: array<u32>;
@group(0) @binding(4) var<storage, read> slotVoxel: array<i32>;
@group(0) @binding(5) var<storage, read> slotLength: array<f32>;
@group(0) @binding(6) var<storage, read_write> voxel: array<i32>;
@group(0) @binding(7) var<storage, read_write> len: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let o = groupStart[i / ${WORKGROUP}u] + local[i];
  let s = i * prm.cap;
  for (var k = 0u; k < count[i]; k++) {
    voxel[o + k] = slotVoxel[s + k];
    len[o + k] = slotLength[s + k];
  }
}
`

const kernels = perDevice((device) => {
  const pipeline = (label: string, code: string) => computePipeline(device, label, code)
  return {
    scan: pipeline('dds path scan', SCAN), starts: pipeline('dds path starts', STARTS), copy: pipeline('dds path copy', COPY),
    buffers: new KernelBuffers(device),
  }
})

/** packed entries of the slots: voxel and length in muon order, and nnz ([1]); a muon's first entry is
 *  groupStart[i / WORKGROUP] + local[i] */
export interface PackedPaths { voxel: GPUBuffer; length: GPUBuffer; nnz: GPUBuffer; local: GPUBuffer; groupStart: GPUBuffer }

/** pack n muons' slots (cap per muon, count[i] used) in muon order */
export function packPathsGpu(
  device: GPUDevice, n: number, cap: number, slots: { count: GPUBuffer; voxel: GPUBuffer; length: GPUBuffer },
): PackedPaths {
  const k = kernels(device), buf = k.buffers
  const groups = Math.ceil(Math.max(1, n) / WORKGROUP)
  const params = buf.uniform('pack params', 16)
  device.queue.writeBuffer(params, 0, Uint32Array.of(n, cap, groups, 0))
  const local = buf.storage('pack local', 4 * n), groupStart = buf.storage('pack groups', 4 * groups)
  const out: PackedPaths = {
    voxel: buf.storage('pack voxel', 4 * n * cap), length: buf.storage('pack length', 4 * n * cap), nnz: buf.storage('pack nnz', 4),
    local, groupStart,
  }
  dispatch(device, k.scan, [params, slots.count, local, groupStart], n)
  dispatch(device, k.starts, [params, groupStart, out.nnz], 1)
  dispatch(device, k.copy, [params, slots.count, local, groupStart, slots.voxel, slots.length, out.voxel, out.length], n)
  return out
}
