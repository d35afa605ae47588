/// <reference types="@webgpu/types" />
// Propagation (muography/propagate.ts) as a WGSL kernel: one invocation per muon steps it through the voxel grid
// with the same physics (Highland variance spread along the path, the PDG displacement–angle pair per step, mean
// loss from the same tables with delta-ray straggling and the range cut, single scatterings with the form factor)
// and the same random numbers (muon i's two streams, core/item-stream.ts), in float32 and in coordinates relative
// to the grid's corner. A muon's track matches the CPU's within float32 rounding unless a comparison near its
// threshold (a voxel face, a draw's acceptance) goes the other way, which sends the rest of its path elsewhere;
// gpu/check.ts counts those. On webgpu the step propagates its muons here (muography/sim-gpu.ts).
import { philoxKey } from '../core/philox'
import { ELECTRON_MASS_GEV, TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { HIGHLAND_GEV, HIGHLAND_LOG, MUON_MASS_GEV } from '../core/units'
import {
  allocTracks, DELTA_CUT_GEV, FORM_FACTOR_REACH, LN_WMAX_TABLE, materialConstants, MIN_STEP_M, NUDGE_M, PARALLEL_U, RANGE_CUT_GEV, stepCap, TAIL_KAPPA,
  type MuonStreams, type PropagateOptions,
} from '../muography/propagate'
import { TRACK_KEYS } from '../muography/sim-blocks'
import type { MuonTracks, VoxelVolume } from '../muography/types'
import { computePipeline, dispatch, KernelBuffers, perDevice, readFloats, WGSL_INDEX, WORKGROUP } from './device'
import { ITEM_STREAM_WGSL, zigTable } from './item-stream-wgsl'
import { PHILOX_WGSL } from './philox-wgsl'
import { LN_ONE_MINUS_WGSL } from './energy-loss-wgsl'

/** floats per muon in the output buffer: the fields of sim-blocks.ts TRACK_KEYS in order, and one spare */
export const STRIDE = 16
const f = (x: number) => x.toExponential(9)

const SHADER = PHILOX_WGSL + LN_ONE_MINUS_WGSL + /* wgsl */ `
struct Params {
  n: u32, first: u32, k0: u32, k1: u32,
  nx: u32, ny: u32, nz: u32, flags: u32,
  maxIter: u32, offLnW: u32, offXi: u32, offChi2: u32,
  offThm: u32, pad0: u32, pad1: u32, pad2: u32,
  ox: f32, oy: f32, oz: f32, h: f32,
  maxStep: f32, snapMax: f32, pad3: f32, pad4: f32,
}
@group(0) @binding(0) var<uniform> prm: Params;
// per muon: x, y, z, ux, uy, uz, p
@group(0) @binding(1) var<storage, read> mu: array<f32>;
// per voxel: palette index, 1/X0
@group(0) @binding(2) var<storage, read> vox: array<vec2<f32>>;
// loss tables (palette × TABLE_N), ln(Wmax/Tcut) (TABLE_N), then per palette entry ξβ²/d, χc²(βp)²/d, θ_N·p
@group(0) @binding(3) var<storage, read> tab: array<f32>;
@group(0) @binding(4) var<storage, read> zig: array<u32>;
@group(0) @binding(5) var<storage, read_write> outp: array<f32>;
` + ITEM_STREAM_WGSL + /* wgsl */ `
const MASS: f32 = ${f(MUON_MASS_GEV)};
const KH: f32 = ${f(HIGHLAND_GEV)};
const B: f32 = ${f(HIGHLAND_LOG)};
const CUT: f32 = ${f(RANGE_CUT_GEV)};
const R12: f32 = ${f(1 / Math.sqrt(12))};
const NUDGE: f32 = ${f(NUDGE_M)};
const MIN_STEP: f32 = ${f(MIN_STEP_M)};
const EPS_U: f32 = ${f(PARALLEL_U)};
const LN_T0: f32 = ${f(TABLE_LN_T0)};
const PER_E: f32 = ${f(TABLE_PER_E)};
const TN: u32 = ${TABLE_N}u;
const TCUT: f32 = ${f(DELTA_CUT_GEV)};
const ME: f32 = ${f(ELECTRON_MASS_GEV)};
const KAPPA: f32 = ${f(TAIL_KAPPA)};
const REACH: f32 = ${f(FORM_FACTOR_REACH)};
const FAR: f32 = 3.0e38;

fn size() -> vec3<f32> { return vec3<f32>(f32(prm.nx), f32(prm.ny), f32(prm.nz)) * prm.h; }

fn inside_grid(c: vec3<i32>) -> bool {
  return c.x >= 0 && c.y >= 0 && c.z >= 0 && c.x < i32(prm.nx) && c.y < i32(prm.ny) && c.z < i32(prm.nz);
}

fn locate(q: vec3<f32>, u: vec3<f32>) -> vec3<i32> {
  let s = select(vec3<f32>(0.0), sign(u), abs(u) > vec3<f32>(EPS_U));
  return vec3<i32>(floor((q + NUDGE * s) * (1.0 / prm.h)));
}

fn voxel_index(c: vec3<i32>) -> u32 {
  return u32(c.x) + prm.nx * (u32(c.y) + prm.ny * u32(c.z));
}

fn loss_at(off: u32, u: f32) -> f32 {
  let uu = max(u, 0.0);
  let k = min(u32(floor(uu)), TN - 2u);
  let fr = min(1.0, uu - f32(k));
  return tab[off + k] * (1.0 - fr) + tab[off + k + 1u] * fr;
}

fn highland_g(t: f32) -> f32 {
  if (t <= 0.0) { return 0.0; }
  let g = 1.0 + B * log(t);
  return t * g * g;
}

// the line's entry parameter on the grid's box, or -1 when it misses it
fn enter(q: vec3<f32>, u: vec3<f32>) -> f32 {
  let b = size();
  var tIn = 0.0;
  var tOut = FAR;
  for (var k = 0; k < 3; k++) {
    if (abs(u[k]) > EPS_U) {
      let ta = (0.0 - q[k]) / u[k];
      let tb = (b[k] - q[k]) / u[k];
      tIn = max(tIn, min(ta, tb));
      tOut = min(tOut, max(ta, tb));
    } else if (q[k] < 0.0 || q[k] > b[k]) { return -1.0; }
  }
  if (!(tOut > tIn)) { return -1.0; }
  return tIn;
}

// Σ x/X0 along the straight line to where it leaves the grid
fn straight_t(q: vec3<f32>, u: vec3<f32>) -> f32 {
  let h = prm.h;
  var c = locate(q, u);
  var s = vec3<i32>(0);
  var tn = vec3<f32>(FAR);
  var dd = vec3<f32>(FAR);
  for (var k = 0; k < 3; k++) {
    if (u[k] > EPS_U) { s[k] = 1; } else if (u[k] < -EPS_U) { s[k] = -1; }
    if (s[k] != 0) {
      tn[k] = (f32(c[k] + select(0, 1, s[k] > 0)) * h - q[k]) / u[k];
      dd[k] = h / abs(u[k]);
    }
  }
  var d = 0.0;
  var t = 0.0;
  loop {
    if (!inside_grid(c)) { break; }
    let ix0 = vox[voxel_index(c)].y;
    if (tn.x <= tn.y && tn.x <= tn.z) { t += (tn.x - d) * ix0; d = tn.x; tn.x += dd.x; c.x += s.x; }
    else if (tn.y <= tn.z) { t += (tn.y - d) * ix0; d = tn.y; tn.y += dd.y; c.y += s.y; }
    else { t += (tn.z - d) * ix0; d = tn.z; tn.z += dd.z; c.z += s.z; }
  }
  return t;
}

// slide the exit point along u onto the face the muon left through (propagate.ts snapToFace)
fn snap(q: vec3<f32>, u: vec3<f32>, c: vec3<i32>) -> vec3<f32> {
  var k = 1;
  var n = i32(prm.ny);
  if (c.z < 0 || c.z >= i32(prm.nz)) { k = 2; n = i32(prm.nz); }
  else if (c.x < 0 || c.x >= i32(prm.nx)) { k = 0; n = i32(prm.nx); }
  let plane = select(f32(n) * prm.h, 0.0, c[k] < 0);
  let d = (plane - q[k]) / u[k];
  var r = q;
  if (abs(d) <= prm.snapMax) { r = q + d * u; }
  r[k] = plane;
  return r;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let eloss = (prm.flags & 1u) != 0u;
  let tail = (prm.flags & 2u) != 0u;
  let spread = (prm.flags & 4u) != 0u;
  let o = vec3<f32>(prm.ox, prm.oy, prm.oz);
  let m = i * 7u;
  var u = vec3<f32>(mu[m + 3u], mu[m + 4u], mu[m + 5u]);
  u = u / sqrt(dot(u, u));
  var q = vec3<f32>(mu[m], mu[m + 1u], mu[m + 2u]) - o;
  let tIn = enter(q, u);
  let inside = tIn >= 0.0;
  if (tIn > 0.0) { q = q + tIn * u; }
  var p = mu[m + 6u];
  var e = sqrt(p * p + MASS * MASS);
  let w = i * ${STRIDE}u;
  outp[w] = p;
  outp[w + 2u] = q.x + o.x; outp[w + 3u] = q.y + o.y; outp[w + 4u] = q.z + o.z;
  outp[w + 5u] = u.x; outp[w + 6u] = u.y; outp[w + 7u] = u.z;
  var g_path = 0.0;
  var rate = 0.0;
  if ((spread || tail) && inside) {
    let tt = straight_t(q, u);
    g_path = highland_g(tt);
    if (spread && tt > 0.0) { rate = g_path / tt; }
  }
  let cut2 = KH * KH * g_path * KAPPA * KAPPA;
  let key = vec2<u32>(prm.k0, prm.k1);
  var stN = item_seed(prm.first + i, 0u, key);
  var st = vec4<u32>(0u);
  if (eloss || tail) { st = item_seed(prm.first + i, 1u, key); }
  var budgetDelta = 0.0;
  var budgetTail = 0.0;
  if (eloss) { budgetDelta = -log(1.0 - draw_uniform(&st)); }
  if (tail) { budgetTail = -log(1.0 - draw_uniform(&st)); }
  var alive = 1.0;
  var c = (KH * e / (p * p)) * (KH * e / (p * p));
  var lnKin = 0.0;
  if (eloss) { lnKin = log(e - MASS); }
  var t = 0.0;
  var gPrev = 0.0;
  var lnT = 0.0;
  var iter = 0u;
  let h = prm.h;
  let offXi = prm.offXi;
  loop {
    if (!inside) { break; }
    let cell = locate(q, u);
    if (!inside_grid(cell)) {
      q = snap(q, u, cell);
      break;
    }
    if (iter > prm.maxIter) { alive = 0.0; break; }
    iter++;
    var d = prm.maxStep;
    for (var k = 0; k < 3; k++) {
      if (u[k] > EPS_U) { d = min(d, (f32(cell[k] + 1) * h - q[k]) / u[k]); }
      else if (u[k] < -EPS_U) { d = min(d, (f32(cell[k]) * h - q[k]) / u[k]); }
    }
    d = max(d, MIN_STEP);
    let v = vox[voxel_index(cell)];
    let mi = u32(v.x);
    var eNew = e;
    if (eloss) {
      let kin = e - MASS;
      let off = mi * TN;
      let u0 = (lnKin - LN_T0) * PER_E;
      let l0 = loss_at(off, u0);
      if (l0 * d > 0.2 * kin) { d = max(MIN_STEP, 0.2 * kin / l0); }
      let em0 = e - 0.5 * l0 * d;
      let uMid = u0 + ln_one_minus(0.5 * l0 * d / kin) * PER_E;
      var loss = loss_at(off, uMid) * d;
      let b2 = (em0 * em0 - MASS * MASS) / (em0 * em0);
      let g = em0 / MASS;
      let rme = ME / MASS;
      let wmax = 2.0 * ME * (g * g - 1.0) / (1.0 + 2.0 * g * rme + rme * rme);
      let xi = tab[offXi + mi] * d / b2;
      var tc = TCUT;
      var hard = 0.0;
      var hardMean = 0.0;
      if (wmax > TCUT) {
        hardMean = xi * loss_at(prm.offLnW, uMid);
        budgetDelta -= xi * (1.0 / TCUT - 1.0 / wmax);
        while (budgetDelta < 0.0) {
          hard += 1.0 / (1.0 / TCUT - draw_uniform(&st) * (1.0 / TCUT - 1.0 / wmax));
          budgetDelta -= log(1.0 - draw_uniform(&st));
        }
      } else { tc = wmax; }
      let soft = loss - hardMean + sqrt(xi * tc * (1.0 - b2 * tc / (2.0 * wmax))) * draw_normal(&stN);
      loss = max(soft, 0.0) + hard;
      eNew = e - loss;
      if (eNew - MASS < CUT) {
        let dStop = max(0.0, min(d, (kin - CUT) / loss * d));
        q = q + dStop * u;
        p = 0.0;
        alive = 0.0;
        break;
      }
      let em = e - 0.5 * loss;
      let bp = (em * em - MASS * MASS) / em;
      c = (KH / bp) * (KH / bp);
    }
    let dt = d * v.y;
    var var2 = 0.0;
    if (spread) { var2 = c * rate * dt; }
    else {
      let tn = t + dt;
      if (dt < 0.5 * t) {
        let a = dt / (2.0 * t + dt);
        let a2 = a * a;
        lnT += 2.0 * a * (1.0 + a2 * (1.0 / 3.0 + a2 * (1.0 / 5.0 + a2 * (1.0 / 7.0 + a2 * (1.0 / 9.0 + a2 * (1.0 / 11.0))))));
      } else { lnT = log(tn); }
      let fl = 1.0 + B * lnT;
      let g = tn * fl * fl;
      var2 = c * (g - gPrev);
      gPrev = g;
    }
    t += dt;
    q = q + d * u;
    var ta = 0.0;
    var tb = 0.0;
    if (tail) {
      let bp2 = KH * KH / c;
      let thmp = tab[prm.offThm + mi];
      let thn2 = thmp * thmp / bp2;
      let thm2 = REACH * REACH * thn2;
      let thc2 = cut2 / bp2;
      if (thc2 < thm2) {
        budgetTail -= tab[prm.offChi2 + mi] * d / cut2 * (1.0 - thc2 / thm2);
        while (budgetTail < 0.0) {
          let th2 = 1.0 / (1.0 / thc2 - draw_uniform(&st) * (1.0 / thc2 - 1.0 / thm2));
          if (draw_uniform(&st) < exp(-th2 / (5.0 * thn2))) {
            let th = sqrt(th2);
            let sc = sincos(PI * (2.0 * draw_uniform(&st) - 1.0));
            ta += th * sc.y;
            tb += th * sc.x;
          }
          budgetTail -= log(1.0 - draw_uniform(&st));
        }
      }
    }
    if (var2 > 0.0 || ta != 0.0 || tb != 0.0) {
      let th0 = select(0.0, sqrt(var2), var2 > 0.0);
      let sg = select(-1.0, 1.0, u.z >= 0.0);
      let a = -1.0 / (sg + u.z);
      let bb = u.x * u.y * a;
      let e1 = vec3<f32>(1.0 + sg * u.x * u.x * a, sg * bb, -sg * u.x);
      let e2 = vec3<f32>(bb, sg + u.y * u.y * a, -u.y);
      let z1 = draw_normal(&stN);
      let z2 = draw_normal(&stN);
      let z3 = draw_normal(&stN);
      let z4 = draw_normal(&stN);
      let ya = d * th0 * (z1 * R12 + 0.5 * z2);
      let yb = d * th0 * (z3 * R12 + 0.5 * z4);
      ta += th0 * z2;
      tb += th0 * z4;
      q = q + ya * e1 + yb * e2;
      u = u + ta * e1 + tb * e2;
      u = u / sqrt(dot(u, u));
    }
    if (eloss) {
      lnKin += ln_one_minus((e - eNew) / (e - MASS));
      e = eNew;
      p = sqrt(e * e - MASS * MASS);
    }
  }
  outp[w + 1u] = p;
  outp[w + 8u] = q.x + o.x; outp[w + 9u] = q.y + o.y; outp[w + 10u] = q.z + o.z;
  outp[w + 11u] = u.x; outp[w + 12u] = u.y; outp[w + 13u] = u.z;
  outp[w + 14u] = alive;
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds propagate', SHADER),
  buffers: new KernelBuffers(device),
  /** what each constant buffer holds (a buffer is re-made only if its size changes) */
  holds: new WeakMap<GPUBuffer, object>(),
}))

/** a volume's constants for the kernel: per voxel (palette index, 1/X0), and the tables with their offsets */
interface VolumeConstants { voxels: Float32Array<ArrayBuffer>; tables: Float32Array<ArrayBuffer>; offsets: number[] }

const volumeConstants = new WeakMap<VoxelVolume, VolumeConstants>()
let ziggurat: Uint32Array<ArrayBuffer> | null = null

function constantsOf(vol: VoxelVolume): VolumeConstants {
  let c = volumeConstants.get(vol)
  if (c) return c
  const V = vol.material.length, P = vol.palette.length
  const voxels = new Float32Array(2 * V)
  for (let j = 0; j < V; j++) { voxels[2 * j] = vol.material[j]; voxels[2 * j + 1] = 1 / vol.x0[j] }
  const m = materialConstants(vol)
  const offLnW = P * TABLE_N, offXi = offLnW + TABLE_N, offChi2 = offXi + P, offThm = offChi2 + P
  const tables = new Float32Array(offThm + P)
  tables.set(m.loss); tables.set(LN_WMAX_TABLE, offLnW); tables.set(m.xi, offXi); tables.set(m.chi2, offChi2); tables.set(m.thetaMaxP, offThm)
  c = { voxels, tables, offsets: [offLnW, offXi, offChi2, offThm] }
  volumeConstants.set(vol, c)
  return c
}

/** how many times the kernel has written its output buffer: a reader of the tracks it returned checks that they
 *  are still there (sim-gpu.ts liveTracks) */
let written = 0
export const tracksWritten = (): number => written

/**
 * Propagate n packed muons (sim-blocks.ts packMuons; from the host, or a buffer already on the device such as
 * gpu/entering.ts's) on the GPU: muon i draws from stream first + i of the seed, as propagate()
 * does. Returns the buffer of STRIDE floats per muon (TRACK_KEYS in order; alive as 0 or 1), which the next call
 * rewrites.
 */
export function propagateGpu(
  device: GPUDevice, vol: VoxelVolume, muons: Float32Array | GPUBuffer, n: number, streams: MuonStreams, opts: PropagateOptions = {},
): GPUBuffer {
  const k = kernel(device)
  const c = constantsOf(vol)
  const maxStep = opts.maxStep && opts.maxStep > 0 ? opts.maxStep : vol.voxel
  const prm = new ArrayBuffer(96)
  const pu = new Uint32Array(prm), pf = new Float32Array(prm)
  const [k0, k1] = philoxKey(streams.seed, 'volume')
  const flags = (opts.energyLoss ? 1 : 0) | (opts.tail ? 2 : 0) | ((opts.msc ?? 'uniform') === 'uniform' ? 4 : 0)
  pu.set([n, streams.first ?? 0, k0, k1, vol.nx, vol.ny, vol.nz, flags, stepCap(vol, maxStep), ...c.offsets])
  pf.set([...vol.origin, vol.voxel, maxStep, Math.max(vol.voxel, maxStep)], 16)
  const upload = (name: string, data: Float32Array): GPUBuffer => {
    const b = k.buffers.storage(name, data.byteLength)
    // the kernel threads' arrays may live on shared memory, which writeBuffer takes as it is
    device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength)
    return b
  }
  // the volume's constants and the ziggurat go up once, not every step
  const constant = (name: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): GPUBuffer => {
    const b = k.buffers.storage(name, data.byteLength)
    if (k.holds.get(b) !== data) {
      device.queue.writeBuffer(b, 0, data)
      k.holds.set(b, data)
    }
    return b
  }
  ziggurat ??= zigTable()
  const params = k.buffers.uniform('propagate params', prm.byteLength)
  device.queue.writeBuffer(params, 0, prm)
  const out = k.buffers.storage('propagate tracks', 4 * STRIDE * n)
  written++
  dispatch(device, k.pipeline, [params, ArrayBuffer.isView(muons) ? upload('propagate muons', muons.subarray(0, 7 * n)) : muons, constant('propagate voxels', c.voxels),
    constant('propagate tables', c.tables), constant('propagate ziggurat', ziggurat), out], n)
  return out
}

/** the kernel's output for n muons read back into `into` (default: new arrays) */
export async function readTracks(device: GPUDevice, out: GPUBuffer, n: number, into: MuonTracks = allocTracks(n)): Promise<MuonTracks> {
  const all = await readFloats(device, out, STRIDE * n)
  TRACK_KEYS.forEach((name, k) => {
    const col = into[name]
    for (let i = 0; i < n; i++) col[i] = all[STRIDE * i + k]
  })
  return into
}
