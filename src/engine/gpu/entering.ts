/// <reference types="@webgpu/types" />
// The muons as they reach the volume (sim-blocks.ts: generated, then slowed by the panels above with afterStack's
// mean loss in plastic) as a WGSL kernel on the generation kernel's buffers (gpu/muons.ts), packed as the
// propagation kernel reads them (sim-blocks.ts packMuons): a webgpu step generates and propagates without the
// muons leaving the GPU. One invocation per muon.
import { MUON_MASS_GEV } from '../core/units'
import { TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { SCINT_TABLE, SCINT_X0, type PanelLayout } from '../muography/panel-material'
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { MUON_OUTPUTS, type MuonBuffers } from './muons'

const SHADER = /* wgsl */ `
struct Params { n: u32, nAbove: u32, nTable: u32, eloss: u32, z: f32, lnT0: f32, perE: f32, mass: f32, x0: f32, pad0: f32, pad1: f32, pad2: f32 }
@group(0) @binding(0) var<uniform> prm: Params;
// the plastic's loss table (nTable values), then the thickness in X0 of each panel above, in the layout's order
@group(0) @binding(1) var<storage, read> consts: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read> ux: array<f32>;
@group(0) @binding(5) var<storage, read> uy: array<f32>;
@group(0) @binding(6) var<storage, read> uz: array<f32>;
@group(0) @binding(7) var<storage, read> pIn: array<f32>;
@group(0) @binding(8) var<storage, read_write> outp: array<f32>;

// the loss per metre at kinetic energy kin (core/muon-energy-loss.ts lookupLoss)
fn loss_at(kin: f32) -> f32 {
  let u = (log(kin) - prm.lnT0) * prm.perE;
  var k = 0u;
  if (u > f32(prm.nTable - 2u)) { k = prm.nTable - 2u; } else if (u > 0.0) { k = u32(floor(u)); }
  let f = clamp(u - f32(k), 0.0, 1.0);
  return consts[k] * (1.0 - f) + consts[k + 1u] * f;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let m = prm.mass;
  let c = abs(uz[i]);
  var p = pIn[i];
  if (prm.eloss != 0u) {
    // panel-material.ts afterStack and panelLoss: each panel above at the muon's incidence, a muon at rest stays so
    for (var j = 0u; j < prm.nAbove && p > 0.0; j++) {
      let t = consts[prm.nTable + j] / c;
      let e0 = sqrt(p * p + m * m);
      var loss = 0.0;
      if (t > 0.0) {
        let kin = e0 - m;
        loss = min(kin, loss_at(max(kin, 1e-3)) * t * prm.x0);
      }
      let e = e0 - loss;
      p = select(0.0, sqrt(e * e - m * m), e > m);
    }
  }
  let o = 7u * i;
  outp[o] = x[i]; outp[o + 1u] = y[i]; outp[o + 2u] = prm.z;
  outp[o + 3u] = ux[i]; outp[o + 4u] = uy[i]; outp[o + 5u] = uz[i]; outp[o + 6u] = p;
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds entering', SHADER),
  buffers: new KernelBuffers(device),
}))

/**
 * The n generated muons of `muons` (at height z) as they reach the volume, packed 7 floats per muon: slowed by the
 * layout's panels above when energyLoss is on. Returns the packed buffer (it persists across calls).
 */
export function enteringGpu(device: GPUDevice, muons: MuonBuffers, n: number, z: number, layout: PanelLayout, energyLoss: boolean): GPUBuffer {
  const k = kernel(device)
  const above = Array.from(layout.thickness).filter((_, j) => layout.stack[j] === 0)
  const consts = new Float32Array(TABLE_N + above.length)
  consts.set(SCINT_TABLE)
  consts.set(above, TABLE_N)
  const constBuf = k.buffers.storage('entering constants', consts.byteLength)
  device.queue.writeBuffer(constBuf, 0, consts)
  const prm = new ArrayBuffer(48)
  new Uint32Array(prm).set([n, above.length, TABLE_N, energyLoss ? 1 : 0])
  new Float32Array(prm).set([z, TABLE_LN_T0, TABLE_PER_E, MUON_MASS_GEV, SCINT_X0], 4)
  const params = k.buffers.uniform('entering params', prm.byteLength)
  device.queue.writeBuffer(params, 0, prm)
  const out = k.buffers.storage('entering muons', 4 * 7 * n)
  dispatch(device, k.pipeline, [params, constBuf, ...MUON_OUTPUTS.map((name) => muons[name]), out], n)
  return out
}
