/// <reference types="@webgpu/types" />
// The momentum model's refresh (muography/momentum-model.ts momentumRange, without the derivative) as a WGSL kernel
// for the EM kernel (gpu/em.ts): one invocation per muon follows its entry momentum (the point value, or each of
// the prior's values) along its path under the current λ on the GPU, with the same tables and the same midpoint
// rule, and writes c̄ and e (the fit's variance plus the panels' term) into the EM's observations, the prior's
// per-value c̄ into its mixture, and c at the stacks. So a webgpu solve refreshes the momentum model without reading
// λ back. float32 instead of float64: a value whose energy ends near the stopping threshold may stop on one side
// only (gpu/check.ts counts those).
import { HIGHLAND_GEV, MUON_MASS_GEV } from '../core/units'
import { TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { FLOOR_P, REF_LN_LAMBDA, REF_LOSS, REFERENCE, STOP_GEV, type EntryMomentum } from '../muography/momentum-model'
import { groups, KernelBuffers, noteDispatch, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { LN_ONE_MINUS_WGSL, REFERENCE_WEIGHTS_WGSL } from './energy-loss-wgsl'

const f = (x: number) => x.toExponential(9)
const R = REFERENCE.length
/** the uniform's tables: REF_LOSS, then REF_LN_LAMBDA, in vec4s */
const TABLE_VEC4 = Math.ceil((R * TABLE_N + R) / 4)
/** the most values of a prior the uniform holds */
export const MOMENTUM_GPU_MAX_Q = 64

const SHADER = LN_ONE_MINUS_WGSL + REFERENCE_WEIGHTS_WGSL + /* wgsl */ `
struct Params {
  n: u32, nq: u32, eloss: u32, prior: u32,
  tables: array<vec4<f32>, ${TABLE_VEC4}>,
  quantiles: array<vec4<f32>, ${MOMENTUM_GPU_MAX_Q / 4}>,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
// per entry (muon-major): voxel, bits of the length
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> lambda: array<f32>;
// per muon: the fit's e, the panels' Σ g b² above and below, the point momentum
@group(0) @binding(4) var<storage, read> fit: array<vec4<f32>>;
// per muon: m, e, w, c (the EM's observations: e and c are written)
@group(0) @binding(5) var<storage, read_write> obs: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> mixC: array<f32>;
// per muon: c at the stack above and below
@group(0) @binding(7) var<storage, read_write> stack: array<vec2<f32>>;

const M: f32 = ${f(MUON_MASS_GEV)};
const H: f32 = ${f(HIGHLAND_GEV)};
const TN: u32 = ${TABLE_N}u;
const R: u32 = ${R}u;
const LN0: f32 = ${f(TABLE_LN_T0)};
const PER_E: f32 = ${f(TABLE_PER_E)};
const STOP: f32 = ${f(STOP_GEV)};

fn table(k: u32) -> f32 { return prm.tables[k >> 2u][k & 3u]; }
fn ref_ln(r: u32) -> f32 { return table(R * TN + r); }

// (13.6 MeV/βp)² at energy e
fn c_of(e: f32) -> f32 {
  let bp = (e * e - M * M) / e;
  let r = H / bp;
  return r * r;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let k0 = rowStart[i];
  let k1 = rowStart[i + 1u];
  let cFloor = c_of(sqrt(${f(FLOOR_P * FLOOR_P)} + M * M));
  var sumC = 0.0; var sumIn = 0.0; var sumOut = 0.0; var n = 0u;
  var lastC = 0.0; var lastIn = 0.0; var lastOut = 0.0;
  for (var qi = 0u; qi < prm.nq; qi++) {
    var p0 = fit[i].w;
    if (prm.prior != 0u) { p0 = prm.quantiles[qi >> 2u][qi & 3u]; }
    let e0 = sqrt(p0 * p0 + M * M);
    let cIn = c_of(e0);
    var kin = e0 - M;
    var cBar = cIn;
    var stopped = false;
    if (prm.eloss != 0u) {
      var lnKin = log(kin);
      var num = 0.0;
      var den = 0.0;
      for (var q = k0; q < k1; q++) {
        let en = entries[q];
        let L = bitcast<f32>(en.y);
        let lj = lambda[en.x];
        let rw = ref_weights(lj);
        let r = rw.r;
        let wj = rw.w;
        let u0 = (max(lnKin, LN0) - LN0) * PER_E;
        let perKin = L / kin;
        var row = min(u32(floor(u0)), TN - 2u);
        var ta = r * TN + row;
        var A0 = table(ta); var A1 = table(ta + 1u); var B0 = table(ta + TN); var B1 = table(ta + TN + 1u);
        let f0 = min(1.0, u0 - f32(row));
        let x = 0.5 * (lj * ((A0 * (1.0 - f0) + A1 * f0) * (1.0 - wj) + (B0 * (1.0 - f0) + B1 * f0) * wj)) * perKin;
        let uMid = u0 + ln_one_minus(min(x, 0.999)) * PER_E;
        let um = max(uMid, 0.0);
        if (um < f32(row)) {
          row = u32(floor(um));
          ta = r * TN + row;
          A0 = table(ta); A1 = table(ta + 1u); B0 = table(ta + TN); B1 = table(ta + TN + 1u);
        }
        let fm = min(1.0, um - f32(row));
        let lm = lj * ((A0 * (1.0 - fm) + A1 * fm) * (1.0 - wj) + (B0 * (1.0 - fm) + B1 * fm) * wj);
        let mid = max(kin - 0.5 * lm * L, STOP) + M;
        let h = (H * mid) / (mid * mid - M * M);
        let dt = L * lj;
        num += h * h * dt;
        den += dt;
        let y = lm * perKin;
        kin -= lm * L;
        if (kin < STOP) { stopped = true; kin = STOP; lnKin = log(kin); } else { lnKin += ln_one_minus(y); }
      }
      if (den > 0.0) { cBar = min(num / den, cFloor); }
    }
    let cOut = min(c_of(kin + M), cFloor);
    lastC = cBar; lastIn = cIn; lastOut = cOut;
    if (!stopped) { sumC += cBar; sumIn += cIn; sumOut += cOut; n++; }
    if (prm.prior != 0u) { mixC[i * prm.nq + qi] = select(cBar, 0.0, stopped); }
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
  pipeline: device.createComputePipeline({
    label: 'dds momentum', layout: 'auto',
    compute: { module: device.createShaderModule({ label: 'dds momentum', code: SHADER }), entryPoint: 'main' },
  }),
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

/** The kernel's constant inputs for n muons, made once per solve; `record` adds a refresh to a compute pass. */
export function momentumRefresh(device: GPUDevice, n: number, inputs: MomentumInputs) {
  const k = kernel(device)
  const { entry } = inputs
  const prior = entry.kind === 'prior'
  const nq = prior ? entry.p.length : 1
  if (nq > MOMENTUM_GPU_MAX_Q) throw new Error(`the GPU momentum model takes at most ${MOMENTUM_GPU_MAX_Q} prior momenta, got ${nq}`)
  const prm = new ArrayBuffer(16 + 16 * TABLE_VEC4 + 4 * MOMENTUM_GPU_MAX_Q)
  new Uint32Array(prm, 0, 4).set([n, nq, entry.energyLoss ? 1 : 0, prior ? 1 : 0])
  const tables = new Float32Array(prm, 16, 4 * TABLE_VEC4)
  tables.set(REF_LOSS)
  tables.set(REF_LN_LAMBDA, REFERENCE.length * TABLE_N)
  if (prior) new Float32Array(prm, 16 + 16 * TABLE_VEC4, MOMENTUM_GPU_MAX_Q).set(entry.p)
  const params = k.buffers.uniform('momentum params', prm.byteLength)
  device.queue.writeBuffer(params, 0, prm)
  const fit = new Float32Array(4 * n)
  for (let i = 0; i < n; i++) {
    fit[4 * i] = inputs.fitE[i]; fit[4 * i + 1] = inputs.above[i]; fit[4 * i + 2] = inputs.below[i]
    fit[4 * i + 3] = prior ? 0 : entry.p[i]
  }
  const fitB = k.buffers.storage('momentum fit', fit.byteLength)
  device.queue.writeBuffer(fitB, 0, fit)
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
