/// <reference types="@webgpu/types" />
// The momentum model's refresh (muography/momentum-model.ts momentumRange, without the derivative) as a WGSL kernel
// for the EM kernel (gpu/em.ts): one invocation per muon follows its entry momentum (the point value, or each of
// the prior's values) along its path under the current λ on the GPU, with the same tables and the same midpoint
// rule, and writes c̄ and e (the fit's variance plus the panels' term) into the EM's observations, the prior's
// per-value c̄ into its mixture, and c at the stacks. So a webgpu solve refreshes the momentum model without reading
// λ back. The walk along the path is gpu/momentum-walk-wgsl.ts. float32 instead of float64: a value whose energy
// ends near the stopping threshold may stop on one side only (gpu/check.ts counts those).
import { tf } from '../core/tensor'
import type { EntryMomentum } from '../muography/momentum-model'
import { computePipeline, groups, KernelBuffers, noteDispatch, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { momentumParams, MOMENTUM_WALK_WGSL } from './momentum-walk-wgsl'
import { copyTensor } from './tensor-copy'

const SHADER = MOMENTUM_WALK_WGSL + /* wgsl */ `
// per muon: the fit's e, the panels' Σ g b² above and below, the point momentum
@group(0) @binding(4) var<storage, read> fit: array<vec4<f32>>;
// per muon: m, e, w, c (the EM's observations: e and c are written)
@group(0) @binding(5) var<storage, read_write> obs: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> mixC: array<f32>;
// per muon: c at the stack above and below
@group(0) @binding(7) var<storage, read_write> stack: array<vec2<f32>>;

// a refresh needs no per-entry values
fn entry_hook(q: u32, s: EntryState) {}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let k0 = rowStart[i];
  let k1 = rowStart[i + 1u];
  var sumC = 0.0; var sumIn = 0.0; var sumOut = 0.0; var n = 0u;
  var lastC = 0.0; var lastIn = 0.0; var lastOut = 0.0;
  for (var qi = 0u; qi < prm.nq; qi++) {
    var p0 = fit[i].w;
    if (prm.prior != 0u) { p0 = prm.quantiles[qi >> 2u][qi & 3u]; }
    let w = walk(p0, k0, k1);
    lastC = w.cBar; lastIn = w.cIn; lastOut = w.cOut;
    if (!w.stopped) { sumC += w.cBar; sumIn += w.cIn; sumOut += w.cOut; n++; }
    if (prm.prior != 0u) { mixC[i * prm.nq + qi] = select(w.cBar, 0.0, w.stopped); }
  }
  if (prm.prior != 0u && n == 0u) { mixC[i * prm.nq + prm.nq - 1u] = lastC; }
  var c = lastC; var cIn = lastIn; var cOut = lastOut;
  if (n > 0u) { c = sumC / f32(n); cIn = sumIn / f32(n); cOut = sumOut / f32(n); }
  let fi = fit[i];
  var o = obs[i];
  o.y = fi.x + cIn * fi.y + cOut * fi.z;
  o.w = c;
  obs[i] = o;
  stack[i] = vec2<f32>(cIn, cOut);
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds momentum', SHADER),
  buffers: new KernelBuffers(device),
}))

/** what a refresh on the GPU needs besides λ and the path matrix: the entry momentum, and per muon the fit's e and
 *  the panels' Σ g b² above and below (pipeline.ts observations) */
export interface MomentumInputs {
  entry: EntryMomentum
  fitE: ArrayLike<number>
  above: ArrayLike<number>
  below: ArrayLike<number>
}

/** The kernel's constant inputs for n muons, made once per solve (the fit's e from `fitE` where the tape left it, in
 *  place of inputs.fitE); `record` adds a refresh to a compute pass. */
export function momentumRefresh(device: GPUDevice, n: number, inputs: MomentumInputs, fitE?: tf.Tensor1D) {
  const k = kernel(device)
  const { entry } = inputs
  const prior = entry.kind === 'prior'
  const prm = momentumParams(n, entry)
  const params = k.buffers.uniform('momentum params', prm.byteLength)
  device.queue.writeBuffer(params, 0, prm)
  // per muon the fit's e, then the panels' terms and the point momentum
  const rest = new Float32Array(3 * n)
  for (let i = 0; i < n; i++) { rest[3 * i] = inputs.above[i]; rest[3 * i + 1] = inputs.below[i]; rest[3 * i + 2] = prior ? 0 : entry.p[i] }
  const fitB = k.buffers.storage('momentum fit', 16 * n)
  const packed = tf.tidy(() => tf.concat([tf.reshape(fitE ?? tf.tensor1d(Float32Array.from(inputs.fitE)), [n, 1]), tf.tensor2d(rest, [n, 3])], 1))
  copyTensor(device, packed, fitB)
  packed.dispose()
  const stack = k.buffers.storage('momentum stacks', 8 * n)
  return {
    /** c at the stacks, per muon (cIn, cOut) */
    stack,
    /** a refresh from the λ in `lambda` into the EM's observations and mixture */
    record(pass: GPUComputePassEncoder, rowStart: GPUBuffer, entries: GPUBuffer, lambda: GPUBuffer, obs: GPUBuffer, mixC: GPUBuffer): void {
      pass.setPipeline(k.pipeline)
      pass.setBindGroup(0, device.createBindGroup({
        layout: k.pipeline.getBindGroupLayout(0),
        entries: [params, rowStart, entries, lambda, fitB, obs, mixC, stack].map((buffer, binding) => ({ binding, resource: { buffer } })),
      }))
      pass.dispatchWorkgroups(...groups(n))
      noteDispatch(k.pipeline)
    },
  }
}
