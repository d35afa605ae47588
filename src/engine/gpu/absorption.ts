/// <reference types="@webgpu/types" />
// The absorption term's gradient for the EM (muography/absorption.ts absorptionTerms) as two WGSL passes on the
// EM kernel's λ: per muon seen entering, the crossing energy walked backwards from the exit through the references'
// residual ranges, its gradient in each voxel's λ (forward product), the stop probability and each path entry's
// share of the gradient's positive and negative parts and of the separable curvature; then per voxel the sums over
// its entries (in muon order, read by voxel), added into the EM's absorption buffer. So a webgpu X0 solve reads λ
// back only at its end. Every muon is evaluated on every iteration: the CPU's shortcut (muons far above their
// threshold left out, their terms below e^−100) changes nothing but the time. The muon pass's crossing walk also runs
// alone (crossingEnergyGpu: absorption.ts crossingEnergy) for the Fisher term's constants (absorption-fisher.ts), on a
// matrix that goes up or on rows already on the GPU (queueCrossingGpu: muography/entry-paths-gpu.ts).
// float32 instead of float64.
import { MUON_MASS_GEV } from '../core/units'
import { TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import {
  LOST_BELOW, OUTLIER, REF_DETOUR, REF_RANGE, STRAGGLING, type AbsorptionEntry, type AbsorptionObservations, type CrossingEnergy,
} from '../muography/absorption'
import { REF_LN_LAMBDA, REFERENCE } from '../muography/momentum-model'
import { pathsByVoxel } from '../muography/em-blocks'
import { rowStarts, type PathMatrix } from '../muography/paths'
import { RANGE_CUT_GEV } from '../muography/propagate'
import { computePipeline, groups, KernelBuffers, noteDispatch, perDevice, readFloats, WGSL_INDEX, WORKGROUP } from './device'
import { pairs } from './paths'
import { columnsGpu } from './path-columns'
import { REFERENCE_WEIGHTS_WGSL } from './energy-loss-wgsl'

const f = (x: number) => x.toExponential(9)
const R = REFERENCE.length
/** the uniform's tables: REF_RANGE, REF_LN_LAMBDA, REF_DETOUR, in vec4s */
const TABLE_VEC4 = Math.ceil((R * TABLE_N + 2 * R) / 4)
/** the most values of a prior the uniform holds */
const MAX_Q = 64

const MUON_PASS = REFERENCE_WEIGHTS_WGSL + /* wgsl */ `
struct Params {
  n: u32, nq: u32, point: u32, pad0: u32,
  resolution: f32, pad1: f32, pad2: f32, pad3: f32,
  tables: array<vec4<f32>, ${TABLE_VEC4}>,
  quantiles: array<vec4<f32>, ${MAX_Q / 4}>,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
// per entry (muon-major): voxel, bits of the length
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> lambda: array<f32>;
// per muon: entered u, exited E, acceptance A, the point momentum
@group(0) @binding(4) var<storage, read> seen: array<vec4<f32>>;
// per entry: ∂τ/∂λ of its voxel, then ∂τ_in/∂τ_out (the walk's scratch)
@group(0) @binding(5) var<storage, read_write> walk: array<vec2<f32>>;
// per entry: its shares of the positive and negative parts of the gradient and of the curvature
@group(0) @binding(6) var<storage, read_write> share: array<vec4<f32>>;
// per muon (the crossing energy alone): τ_cross
@group(0) @binding(7) var<storage, read_write> tauOut: array<f32>;

const TN: u32 = ${TABLE_N}u;
const R: u32 = ${R}u;
const LN0: f32 = ${f(TABLE_LN_T0)};
const PER_E: f32 = ${f(TABLE_PER_E)};
const M: f32 = ${f(MUON_MASS_GEV)};
const TAU_STOP: f32 = ${f(Math.log(RANGE_CUT_GEV))};

fn table(k: u32) -> f32 { return prm.tables[k >> 2u][k & 3u]; }
fn rr(k: u32) -> f32 { return table(k); }
fn ref_ln(r: u32) -> f32 { return table(R * TN + r); }
fn detour(r: u32) -> f32 { return table(R * TN + R + r); }
fn quantile(q: u32) -> f32 { return prm.quantiles[q >> 2u][q & 3u]; }

// ln R, its slope in ln T, its derivative in the mixture's weight, the knot below, and ln T
struct Point { lnR: f32, dTau: f32, dW: f32, knot: u32, tau: f32 }

fn range_point(a: u32, b: u32, k: u32, fr: f32, m0: f32, m1: f32, l0: f32, l1: f32, tau: f32) -> Point {
  let dW = (1.0 - fr) * (rr(b + k) - rr(a + k)) / m0 + fr * (rr(b + k + 1u) - rr(a + k + 1u)) / m1;
  return Point(l0 * (1.0 - fr) + l1 * fr, (l1 - l0) * PER_E, dW, k, tau);
}

// absorption.ts lnRange: the mixture (1 − w)·r + w·(r + 1) at ln T = tau
fn ln_range(r: u32, w: f32, tau: f32) -> Point {
  var u = (tau - LN0) * PER_E;
  if (!(u > 0.0)) { u = 0.0; }
  let k = min(u32(floor(u)), TN - 2u);
  let fr = min(1.0, u - f32(k));
  let a = r * TN;
  let b = min(r + 1u, R - 1u) * TN;
  let m0 = rr(a + k) * (1.0 - w) + rr(b + k) * w;
  let m1 = rr(a + k + 1u) * (1.0 - w) + rr(b + k + 1u) * w;
  return range_point(a, b, k, fr, m0, m1, log(m0), log(m1), tau);
}

// absorption.ts invertRange: the ln T where the mixture's range is rho, stepping from knot k0
fn invert_range(r: u32, w: f32, k0: u32, rho: f32) -> Point {
  let a = r * TN;
  let b = min(r + 1u, R - 1u) * TN;
  var k = min(k0, TN - 2u);
  var m0 = rr(a + k) * (1.0 - w) + rr(b + k) * w;
  var m1 = rr(a + k + 1u) * (1.0 - w) + rr(b + k + 1u) * w;
  while (k < TN - 2u && rho > m1) { k++; m0 = m1; m1 = rr(a + k + 1u) * (1.0 - w) + rr(b + k + 1u) * w; }
  while (k > 0u && rho < m0) { k--; m1 = m0; m0 = rr(a + k) * (1.0 - w) + rr(b + k) * w; }
  let l0 = log(m0);
  let l1 = log(m1);
  let fr = (log(rho) - l0) / (l1 - l0);
  return range_point(a, b, k, fr, m0, m1, l0, l1, LN0 + (f32(k) + fr) / PER_E);
}

fn knot(tau: f32) -> u32 { return u32(max(0.0, floor((tau - LN0) * PER_E))); }

// Abramowitz & Stegun 7.1.26, as absorption.ts normalCdf
fn normal_cdf(z: f32) -> f32 {
  let x = abs(z) / sqrt(2.0);
  let t = 1.0 / (1.0 + 0.3275911 * x);
  let y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * exp(-x * x);
  return select(0.5 * y, 1.0 - 0.5 * y, z >= 0.0);
}

// absorption.ts stopProbability: P(stop) and its derivative in ln T_cross
fn stop_probability(i: u32, lnT: f32) -> vec2<f32> {
  if (prm.point != 0u) {
    let p = seen[i].w;
    let e = sqrt(p * p + M * M);
    let kin = e - M;
    let meas = prm.resolution * p * p / (e * kin);
    let sigma = sqrt(${f(STRAGGLING * STRAGGLING)} + meas * meas);
    let z = (lnT - log(kin)) / sigma;
    return vec2<f32>(normal_cdf(z), exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979) / sigma);
  }
  let Q = prm.nq;
  let kin = exp(lnT);
  let pc = sqrt(kin * (kin + 2.0 * M));
  let lp = log(pc);
  let dLnP = kin * (kin + M) / (pc * pc);
  var k = 0u;
  while (k < Q - 2u && lp > log(quantile(k + 1u))) { k++; }
  let x0 = log(quantile(k));
  let x1 = log(quantile(k + 1u));
  let slope = 1.0 / f32(Q) / (x1 - x0);
  let cdf = (f32(k) + 0.5) / f32(Q) + slope * (lp - x0);
  if (cdf <= 0.0) { return vec2<f32>(0.0, 0.0); }
  if (cdf >= 1.0) { return vec2<f32>(1.0, 0.0); }
  return vec2<f32>(cdf, slope * dLnP);
}

// per entry into walk[].x: ∂τ_cross/∂λ of its voxel, for entries [k1, k2) of one muon; returns τ_cross = ln T_cross
fn crossing(k1: u32, k2: u32) -> f32 {
  // backwards from the exit: τ_out → τ_in for each voxel
  var tau = TAU_STOP;
  var kn = knot(tau);
  for (var q = k2; q > k1; q--) {
    let en = entries[q - 1u];
    let L = bitcast<f32>(en.y);
    let lam = lambda[en.x];
    let rw = ref_weights(lam);
    let r = rw.r;
    let wj = rw.w;
    let outP = ln_range(r, wj, tau);
    let rhoOut = exp(outP.lnR);
    var dw = 0.0;
    if (wj > 0.0 && wj < 1.0) { dw = 1.0 / (lam * (ref_ln(r + 1u) - ref_ln(r))); }
    let r1 = min(r + 1u, R - 1u);
    let det = detour(r) * (1.0 - wj) + detour(r1) * wj;
    let rhoIn = rhoOut + lam * L * (1.0 + det);
    let inn = invert_range(r, wj, kn, rhoIn);
    let dx = L * (1.0 + det) + lam * L * (detour(r1) - detour(r)) * dw;
    let grad = ((dx + rhoOut * outP.dW * dw) / rhoIn - inn.dW * dw) / inn.dTau;
    walk[q - 1u] = vec2<f32>(grad, rhoOut * outP.dTau / rhoIn / inn.dTau);
    tau = inn.tau;
    kn = inn.knot;
  }
  // forward from the entry: ∂τ_cross/∂λ_q = grad_q · Π of ∂τ_in/∂τ_out between the entry and q
  var prod = 1.0;
  for (var q = k1; q < k2; q++) {
    let w = walk[q];
    walk[q].x = w.x * prod;
    prod *= w.y;
  }
  return tau;
}

// the crossing energy alone (absorption.ts crossingEnergy): per muon τ_cross, −3·10³⁸ for an empty path
@compute @workgroup_size(${WORKGROUP})
fn crossing_main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let k1 = rowStart[i];
  let k2 = rowStart[i + 1u];
  if (k2 == k1) { tauOut[i] = -3.0e38; return; }
  tauOut[i] = crossing(k1, k2);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let k1 = rowStart[i];
  let k2 = rowStart[i + 1u];
  for (var q = k1; q < k2; q++) { share[q] = vec4<f32>(0.0); }
  let s = seen[i];
  // a continued line that misses the panels below tells nothing about the path
  if (!(s.x > 0.0) || k2 == k1 || !(s.z > 0.0)) { return; }
  let tau = crossing(k1, k2);
  // Σ |∂τ/∂λ| λ along the path
  var sum = 0.0;
  for (var q = k1; q < k2; q++) { sum += abs(walk[q].x) * lambda[entries[q].x]; }
  let sp = stop_probability(i, tau);
  let P = ${f(OUTLIER)} + ${f(1 - 2 * OUTLIER)} * sp.x;
  let a = s.z * ${f(1 - LOST_BELOW)};
  let pi = (1.0 - P) * a;
  let E = s.y;
  let dP = s.x * (-E / (1.0 - P) + (1.0 - E) * a / (1.0 - pi));
  let dLnT = ${f(1 - 2 * OUTLIER)} * sp.y;
  if (dLnT == 0.0) { return; }
  let fisher = s.x * a * a * dLnT * dLnT / (pi * (1.0 - pi));
  for (var q = k1; q < k2; q++) {
    let g = walk[q].x;
    let d = dP * dLnT * g;
    share[q] = vec4<f32>(max(d, 0.0), max(-d, 0.0), fisher * abs(g) * sum, 0.0);
  }
}
`

const VOXEL_PASS = /* wgsl */ `
@group(0) @binding(0) var<uniform> nVoxels: vec4<u32>;
@group(0) @binding(1) var<storage, read> colStart: array<u32>;
// the entries of each voxel, in muon order: the entry's index, bits of its length
@group(0) @binding(2) var<storage, read> colEntry: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> share: array<vec4<f32>>;
// the EM's: per voxel, the numerator's and the denominator's additions
@group(0) @binding(4) var<storage, read_write> absorption: array<vec2<f32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = ${WGSL_INDEX};
  if (j >= nVoxels.x) { return; }
  var t = vec3<f32>(0.0);
  for (var q = colStart[j]; q < colStart[j + 1u]; q++) { t += share[colEntry[q].x].xyz; }
  absorption[j] = vec2<f32>(t.x + t.z, t.y + t.z);
}
`

const kernels = perDevice((device) => {
  const pipeline = (label: string, code: string, entryPoint = 'main') => computePipeline(device, label, code, entryPoint)
  return {
    muons: pipeline('dds absorption muons', MUON_PASS), voxels: pipeline('dds absorption voxels', VOXEL_PASS),
    crossing: pipeline('dds absorption crossing', MUON_PASS, 'crossing_main'),
    buffers: new KernelBuffers(device),
  }
})

/** the muon pass's uniform for n muons: the entry momentum (none for the crossing energy alone) and the tables */
function muonParams(n: number, entry: AbsorptionEntry | null): Float32Array<ArrayBuffer> {
  const point = entry?.kind !== 'prior'
  if (entry && !point && entry.p.length > MAX_Q) throw new Error(`the GPU absorption term takes at most ${MAX_Q} prior momenta, got ${entry.p.length}`)
  const prm = new ArrayBuffer(32 + 16 * TABLE_VEC4 + 4 * MAX_Q)
  new Uint32Array(prm, 0, 3).set([n, entry && !point ? entry.p.length : 1, point ? 1 : 0])
  new Float32Array(prm, 16, 1).set([entry?.resolution ?? 0])
  const tables = new Float32Array(prm, 32, 4 * TABLE_VEC4)
  tables.set(REF_RANGE)
  tables.set(REF_LN_LAMBDA, R * TABLE_N)
  tables.set(REF_DETOUR, R * TABLE_N + R)
  if (entry && !point) new Float32Array(prm, 32 + 16 * TABLE_VEC4, MAX_Q).set(entry.p)
  return new Float32Array(prm)
}

/** crossingEnergy (absorption.ts) of every path under λ on `device`: ln T_cross per muon, its gradient per entry */
export async function crossingEnergyGpu(device: GPUDevice, paths: PathMatrix, lambda: ArrayLike<number>): Promise<CrossingEnergy> {
  const n = paths.nMuons, nnz = paths.nnz
  // no entries (and buffers of structs cannot be empty): every path is empty
  if (!nnz) return { lnT: new Float64Array(n).fill(-Infinity), grad: new Float64Array(0) }
  const upload = uploader(device)
  const rows = { rowStart: upload('crossing rows', Uint32Array.from(rowStarts(paths))), entries: upload('crossing entries', pairs(paths.voxel, paths.length, nnz)) }
  const q = queueCrossingGpu(device, rows, n, nnz, lambda)
  const [w, t] = await Promise.all([readFloats(device, q.walk, 2 * nnz), readFloats(device, q.tau, n)])
  return crossingFrom(t, w, nnz)
}

/** a function that writes data into this module's buffer of a name (storage, or uniform) */
function uploader(device: GPUDevice) {
  const buf = kernels(device).buffers
  return buf.upload.bind(buf)
}

/** the crossing walk queued on `device` for the n muons of a path matrix there (rowStart [n + 1], entries as
 *  (voxel, bits of the length), room for `room` entries): its buffers, per entry (walk: the gradient, then scratch)
 *  and per muon (tau), to be read back and given to crossingFrom */
export function queueCrossingGpu(
  device: GPUDevice, rows: { rowStart: GPUBuffer; entries: GPUBuffer }, n: number, room: number, lambda: ArrayLike<number>,
): { walk: GPUBuffer; tau: GPUBuffer } {
  const k = kernels(device), upload = uploader(device)
  const walk = k.buffers.storage('crossing walk', 8 * Math.max(1, room)), tau = k.buffers.storage('crossing tau', 4 * n)
  const bind = device.createBindGroup({
    layout: k.crossing.getBindGroupLayout(0),
    entries: [
      [0, upload('crossing params', muonParams(n, null), true)], [1, rows.rowStart], [2, rows.entries],
      [3, upload('crossing lambda', Float32Array.from(lambda))], [5, walk], [7, tau],
    ].map(([binding, buffer]) => ({ binding: binding as number, resource: { buffer: buffer as GPUBuffer } })),
  })
  const enc = device.createCommandEncoder()
  const pass = enc.beginComputePass()
  pass.setPipeline(k.crossing)
  pass.setBindGroup(0, bind)
  pass.dispatchWorkgroups(...groups(n))
  noteDispatch(k.crossing)
  pass.end()
  device.queue.submit([enc.finish()])
  return { walk, tau }
}

/** the crossing walk's read-back as crossingEnergy's result (−3·10³⁸: an empty path, −∞) */
export function crossingFrom(tau: Float32Array, walk: Float32Array, nnz: number): CrossingEnergy {
  return { lnT: crossingLnT(tau), grad: crossingGrad(walk, nnz) }
}

/** the crossing walk's ∂ ln T_cross/∂λ per entry */
export function crossingGrad(walk: Float32Array, nnz: number): Float64Array {
  return Float64Array.from({ length: nnz }, (_, q) => walk[2 * q])
}

/** the crossing walk's τ per muon as ln T_cross (−∞ for an empty path) */
export function crossingLnT(tau: Float32Array): Float64Array {
  return Float64Array.from(tau, (v) => (v <= -3e38 ? -Infinity : v))
}

/** the absorption term's observations with their entry paths left on the GPU (an entry trace's rows, nnz entries:
 *  muography/entry-paths-gpu.ts), all muons' rows kept: those not seen entering add nothing */
export interface ResidentAbsorption {
  seen: Omit<AbsorptionObservations, 'paths'>
  rows: { n: number; nnz: number; rowStart: GPUBuffer; entries: GPUBuffer }
}

/**
 * The absorption term of `obs` for an EM solve over V voxels: its inputs go up once (or lie on the GPU already, with
 * their by-voxel copy made there: gpu/path-columns.ts); `record` adds the two passes that write the term at the λ in
 * `lambda` into the EM's absorption buffer (per voxel: pos + curvature, neg + curvature, as em.ts adds them). Null
 * when the term is nil (no energy loss, so nothing stops, or no path).
 */
export function absorptionPasses(device: GPUDevice, obs: AbsorptionObservations | ResidentAbsorption, V: number) {
  const resident = 'rows' in obs
  const { entry, entered, exited, acceptance } = resident ? obs.seen : obs
  const n = resident ? obs.rows.n : obs.paths.nMuons, nnz = resident ? obs.rows.nnz : obs.paths.nnz
  if (!entry.energyLoss || !nnz) return null
  const k = kernels(device), upload = uploader(device)
  const point = entry.kind === 'point'
  const params = upload('absorption params', muonParams(n, entry), true)
  const seen = new Float32Array(4 * n)
  for (let i = 0; i < n; i++) {
    seen[4 * i] = entered[i]; seen[4 * i + 1] = exited[i]; seen[4 * i + 2] = acceptance[i]
    seen[4 * i + 3] = point ? entry.p[i] : 0
  }
  const buffers = {
    ...(resident ? residentRows(device, obs.rows, V) : uploadRows(upload, obs.paths)),
    seen: upload('absorption seen', seen),
    walk: k.buffers.room('absorption walk', 8 * nnz), share: k.buffers.room('absorption shares', 16 * nnz),
    nVoxels: upload('absorption voxels', Uint32Array.of(V, 0, 0, 0), true),
  }
  const bind = (pipeline: GPUComputePipeline, list: GPUBuffer[]) => device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0), entries: list.map((buffer, binding) => ({ binding, resource: { buffer } })),
  })
  return {
    record(pass: GPUComputePassEncoder, lambda: GPUBuffer, absorption: GPUBuffer): void {
      const b = buffers
      pass.setPipeline(k.muons)
      pass.setBindGroup(0, bind(k.muons, [params, b.rows, b.entries, lambda, b.seen, b.walk, b.share]))
      pass.dispatchWorkgroups(...groups(n))
      noteDispatch(k.muons)
      pass.setPipeline(k.voxels)
      pass.setBindGroup(0, bind(k.voxels, [b.nVoxels, b.colStart, b.colEntry, b.share, absorption]))
      pass.dispatchWorkgroups(...groups(V))
      noteDispatch(k.voxels)
    },
  }
}

/** a path matrix on the CPU up, both ways: the entries by voxel, each voxel's in entry (muon) order, as the EM's
 *  stable transpose makes them of a matrix whose muon column holds each entry's own index */
function uploadRows(upload: ReturnType<typeof uploader>, paths: PathMatrix) {
  const nnz = paths.nnz
  const byVoxel = pathsByVoxel({ ...paths, muon: Int32Array.from({ length: nnz }, (_, q) => q) })
  return {
    rows: upload('absorption rows', Uint32Array.from(rowStarts(paths))), entries: upload('absorption entries', pairs(paths.voxel, paths.length, nnz)),
    colStart: upload('absorption columns', Uint32Array.from(byVoxel.colStart)), colEntry: upload('absorption column entries', pairs(byVoxel.colMuon, byVoxel.colLength, nnz)),
  }
}

/** rows on the GPU, with their by-voxel copy made there */
function residentRows(device: GPUDevice, rows: ResidentAbsorption['rows'], V: number) {
  const cols = columnsGpu(device, { nMuons: rows.n, nVoxels: V, nnz: rows.nnz, rowStart: rows.rowStart, entries: rows.entries }, 'absorption')
  return { rows: rows.rowStart, entries: rows.entries, colStart: cols.colStart, colEntry: cols.colEntries }
}
