/// <reference types="@webgpu/types" />
// A cold X0 solve's start on the GPU (muography/em.ts emStart and globalLambda): the momentum model's first refresh
// from 10 cm radiation lengths, then the best single λ for the whole volume by its fixed-point steps, each of them the
// EM's muon pass at a uniform λ (gpu/em.ts), a pass that sums each muon's terms times its path length per workgroup,
// and a one-invocation pass that takes the step (and stops where the CPU's loop returns). So a cold webgpu solve,
// the validation's and a run's first, reads nothing back before its iterations. float32 instead of float64.
import { COLD_START, LAMBDA_MAX, LAMBDA_MIN } from '../muography/em'
import { computePipeline, groups, KernelBuffers, noteDispatch, perDevice, WGSL_INDEX, WORKGROUP, WORKGROUP_SUM_WGSL } from './device'
import { EM_PARAMS_WGSL, PARTIAL_TOTAL_WGSL } from './em-wgsl'

const f = (x: number) => x.toExponential(9)


// per workgroup: Σ L·(the numerator's term), Σ L·(the denominator's term) of the muon pass at a uniform λ
const SUM_PASS = EM_PARAMS_WGSL + WORKGROUP_SUM_WGSL + /* wgsl */ `
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> terms: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> partial: array<vec2<f32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let i = ${WGSL_INDEX};
  var contribution = vec2<f32>(0.0);
  if (i < prm.nMuons) {
    var L = 0.0;
    for (var k = rowStart[i]; k < rowStart[i + 1u]; k++) { L += bitcast<f32>(entries[k].y); }
    contribution = terms[i].xy * L;
  }
  let total = workgroup_sum(contribution, li);
  if (li == 0u) { partial[wid.x + wid.y * nwg.x] = total; }
}
`

// the step λ·num/den, clamped; [0] λ, [1] 1 once the loop has returned
const STEP_PASS = EM_PARAMS_WGSL + PARTIAL_TOTAL_WGSL + /* wgsl */ `
@group(0) @binding(2) var<storage, read_write> global: array<f32>;

@compute @workgroup_size(1)
fn main() {
  if (global[1] != 0.0) { return; }
  let s = partial_total();
  if (!(s.y > 0.0)) { global[1] = 1.0; return; }
  let lam = global[0];
  let next = clamp(lam * s.x / s.y, ${f(LAMBDA_MIN)}, ${f(LAMBDA_MAX)});
  if (abs(next - lam) < ${f(COLD_START.tolerance)} * lam) { global[1] = 1.0; }
  global[0] = next;
}
`

// every voxel's λ from the single one
const FILL_PASS = EM_PARAMS_WGSL + /* wgsl */ `
@group(0) @binding(1) var<storage, read> global: array<f32>;
@group(0) @binding(2) var<storage, read_write> lambda: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = ${WGSL_INDEX};
  if (j < prm.nVoxels) { lambda[j] = global[0]; }
}
`

const kernels = perDevice((device) => {
  const pipeline = (label: string, code: string) => computePipeline(device, label, code)
  return {
    sum: pipeline('dds em start sums', SUM_PASS),
    step: pipeline('dds em start step', STEP_PASS),
    fill: pipeline('dds em start fill', FILL_PASS),
    buffers: new KernelBuffers(device),
  }
})

/** the EM's buffers the start reads and writes (gpu/em.ts), and `muonPass`, which records the EM's muon pass */
export interface EmStartBuffers {
  params: GPUBuffer
  rowStart: GPUBuffer
  entries: GPUBuffer
  terms: GPUBuffer
  lambda: GPUBuffer
  muonPass: (pass: GPUComputePassEncoder) => void
  refresh: (pass: GPUComputePassEncoder) => void
}

/** Record a cold start into `pass` for N muons over V voxels: λ ends as the best single value in every voxel. */
export function recordColdStart(device: GPUDevice, pass: GPUComputePassEncoder, b: EmStartBuffers, N: number, V: number): void {
  const k = kernels(device)
  const global = k.buffers.storage('em start', 8)
  device.queue.writeBuffer(global, 0, Float32Array.of(COLD_START.lambda, 0))
  const [gx, gy] = groups(N)
  const partial = k.buffers.storage('em start partial', 8 * gx * gy)
  const bind = (pipeline: GPUComputePipeline, list: GPUBuffer[]) => device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0), entries: list.map((buffer, binding) => ({ binding, resource: { buffer } })),
  })
  const run = (pipeline: GPUComputePipeline, list: GPUBuffer[], x: number, y = 1) => {
    pass.setPipeline(pipeline)
    pass.setBindGroup(0, bind(pipeline, list))
    pass.dispatchWorkgroups(x, y)
    noteDispatch(pipeline)
  }
  const fill = () => run(k.fill, [b.params, global, b.lambda], ...groups(V))
  fill()
  b.refresh(pass)
  for (let it = 0; it < COLD_START.iterations; it++) {
    b.muonPass(pass)
    run(k.sum, [b.params, b.rowStart, b.entries, b.terms, partial], gx, gy)
    run(k.step, [b.params, partial, global], 1)
    fill()
  }
}
