/// <reference types="@webgpu/types" />
// The momentum model with its derivative in λ (muography/momentum-model.ts pathMomentum with `derivative` and
// `mixture`), as the Fisher task term takes it on the true paths under the true densities (pipeline.ts
// truthScattering), in one WGSL kernel: one invocation per muon. For a point momentum it walks the path once, keeping
// each entry's c, a·dc/dE, d(loss per metre)/dλ and L·d(loss per metre)/dE in a scratch buffer, and walks back to
// give ∂c̄/∂λ_j per entry (pathDerivative). For a prior it walks each value once for c̄ and whether it leaves,
// weighs the values that leave by the mixture likelihood (mixture-information.ts: κ and the weights w_q, the same
// trapezoid rule in ln x), then walks each leaving value again with the derivative, summing its share of the mean
// ∂c̄/∂λ_j and of ∂s/∂λ_j. Last it makes the Fisher term's constants from them (fisher-blocks.ts fisherBlock), which
// the step takes as tensors without a read-back (fisherOnGpu). float32 instead of float64 (gpu/check-momentum.ts).
import { tf } from '../core/tensor'
import { fisherArrays } from '../muography/fisher-blocks'
import type { FisherConstants } from '../muography/fisher'
import type { EntryMomentum, PathMomentum } from '../muography/momentum-model'
import { pathMomentum } from '../muography/momentum-model'
import { rowStarts, type PathMatrix } from '../muography/paths'
import { computePipeline, dispatch, KernelBuffers, perDevice, readFloats, WGSL_INDEX, WORKGROUP } from './device'
import { HIGHLAND_G_WGSL } from './highland-wgsl'
import { momentumParams, MOMENTUM_GPU_MAX_Q, MOMENTUM_WALK_WGSL } from './momentum-walk-wgsl'
import { pairs } from './paths'
import { bufferColumns } from './tensor-copy'
import { isResident, type ResidentPaths } from './path-resident'
import { MIXTURE_GRID } from '../muography/mixture-information'

const f = (x: number) => x.toExponential(9)
const Q = MOMENTUM_GPU_MAX_Q

const SHADER = MOMENTUM_WALK_WGSL + HIGHLAND_G_WGSL + /* wgsl */ `
// per muon: the point momentum (unused for a prior)
@group(0) @binding(4) var<storage, read> point: array<f32>;
// per muon: c̄, c at the entry, c at the exit, 1 if the model says it stops
@group(0) @binding(5) var<storage, read_write> muonOut: array<vec4<f32>>;
// per muon: κ (a prior's; 1 for a point momentum), and the Fisher term's c·g
@group(0) @binding(6) var<storage, read_write> muonFisher: array<vec2<f32>>;
// per entry: ∂c̄/∂λ_j, a prior's ∂s/∂λ_j, and the Fisher term's κ (c g′ L)² and κ (c g′ L) ∂s/∂λ_j
@group(0) @binding(7) var<storage, read_write> entryOut: array<vec4<f32>>;
// per entry, while a value is walked: c, a·dc/dE, d(loss per metre)/dλ, L·d(loss per metre)/dE
@group(0) @binding(8) var<storage, read_write> scratch: array<vec4<f32>>;

const GRID_STEP: f32 = ${f(MIXTURE_GRID.step)};
const GRID_BELOW: f32 = ${f(MIXTURE_GRID.below)};
const GRID_ABOVE: f32 = ${f(MIXTURE_GRID.above)};

// the walk keeps each entry's terms of the derivative only while this is set
var<private> keep: bool;

fn ref_loss(r: u32, row: u32, fr: f32) -> f32 { let a = r * TN + row; return table(a) * (1.0 - fr) + table(a + 1u) * fr; }
fn ln_slope(q: u32, lq: f32, lnext: f32) -> f32 { return (lnext - lq) / (ref_ln(q + 1u) - ref_ln(q)); }

// momentum-model.ts lossSlopes and the derivative's scratch
fn entry_hook(q: u32, s: EntryState) {
  if (!keep) { return; }
  let d2 = s.mid * s.mid - M * M;
  let slope = (-2.0 * H * H * s.mid * (s.mid * s.mid + M * M)) / (d2 * d2 * d2);
  var dl = 0.0;
  if (s.wj > 0.0 && s.wj < 1.0) { dl = ln_slope(s.r, s.la, s.lb); }
  else if (s.wj == 1.0 && s.r + 2u < R) { dl = 0.5 * (ln_slope(s.r, s.la, s.lb) + ln_slope(s.r + 1u, s.lb, ref_loss(s.r + 2u, s.row, s.fm))); }
  let perU = (s.A1 - s.A0) * (1.0 - s.wj) + (s.B1 - s.B0) * s.wj;
  var g = 0.0;
  if (s.uMid > 0.0) { g = (s.L * s.lj * perU * PER_E) / (s.mid - M); }
  scratch[q] = vec4<f32>(s.c, s.dt * slope, s.la * (1.0 - s.wj) + s.lb * s.wj + dl, g);
}

// momentum-model.ts pathDerivative for a walk w that kept its terms: adds wc times ∂c̄/∂λ_j to each entry's first
// output and wd times it to the second
fn backward(k0: u32, k1: u32, w: Walk, wc: f32, wd: f32) {
  var after = 0.0;
  for (var q = k1; q > k0; q--) {
    let k = q - 1u;
    let s = scratch[k];
    let L = bitcast<f32>(entries[k].y);
    let d = (L * (s.x - w.cBar) - L * s.z * (0.5 * s.y + after)) / w.den;
    after = s.y * (1.0 - 0.5 * s.w) + after * (1.0 - s.w);
    entryOut[k] += vec4<f32>(wc * d, wd * d, 0.0, 0.0);
  }
}

// walk p0 keeping the terms, and add its derivative with the weights wc and wd (none at the floor of c̄)
fn derivative(p0: f32, k0: u32, k1: u32, wc: f32, wd: f32) -> Walk {
  keep = true;
  let w = walk(p0, k0, k1);
  keep = false;
  let cFloor = c_of(sqrt(FLOOR_P * FLOOR_P + M * M));
  if (prm.eloss != 0u && w.den > 0.0 && w.cBar < cFloor) { backward(k0, k1, w, wc, wd); }
  return w;
}

fn quantile(q: u32) -> f32 { return prm.quantiles[q >> 2u][q & 3u]; }

// mixture-information.ts mixtureWeights: w_q = E[ρ_q u_q S] of the n values c into w, returning κ = Σ_q w_q
fn mixture_weights(c: ptr<function, array<f32, ${Q}>>, n: u32, w: ptr<function, array<f32, ${Q}>>) -> f32 {
  var inv: array<f32, ${Q}>;
  var ln: array<f32, ${Q}>;
  var du: array<f32, ${Q}>;
  var mean = 0.0;
  for (var q = 0u; q < n; q++) { mean += (*c)[q]; }
  mean /= f32(n);
  var lo = 3.0e38;
  var hi = -3.0e38;
  for (var q = 0u; q < n; q++) {
    (*w)[q] = 0.0;
    let a = (*c)[q] / mean;
    inv[q] = 1.0 / a;
    ln[q] = log(a);
    lo = min(lo, ln[q]);
    hi = max(hi, ln[q]);
  }
  let points = u32(floor((hi + GRID_ABOVE - lo - GRID_BELOW) / GRID_STEP)) + 1u;
  for (var k = 0u; k < points; k++) {
    let x = exp(lo + GRID_BELOW + f32(k) * GRID_STEP);
    var top = -3.0e38;
    for (var r = 0u; r < n; r++) { top = max(top, -x * inv[r] - ln[r]); }
    var fs = 0.0;
    var sum = 0.0;
    for (var r = 0u; r < n; r++) {
      let l = -x * inv[r] - ln[r] - top;
      var d = 0.0;
      if (l >= -40.0) { d = exp(l); }
      fs += d;
      du[r] = d * (x * inv[r] - 1.0);
      sum += du[r];
    }
    let weight = (GRID_STEP * exp(top) * x * sum) / (f32(n) * fs);
    for (var q = 0u; q < n; q++) { (*w)[q] += weight * du[q]; }
  }
  var kappa = 0.0;
  for (var q = 0u; q < n; q++) { kappa += (*w)[q]; }
  return kappa;
}

// a known or measured momentum's muon: its outputs and its derivative; returns c̄
fn point_muon(i: u32, k0: u32, k1: u32) -> f32 {
  let w = derivative(point[i], k0, k1, 1.0, 0.0);
  muonOut[i] = vec4<f32>(w.cBar, w.cIn, w.cOut, select(0.0, 1.0, w.stopped));
  return w.cBar;
}

// a muon of the prior: its outputs, the mean derivative of the values that leave and the mixture's slopes; returns
// c̄ and κ
fn prior_muon(i: u32, k0: u32, k1: u32) -> vec2<f32> {
  // each value's c̄ and whether it leaves; the muon's c̄ and c at the stacks from those that leave
  var cq: array<f32, ${Q}>;
  var leaves: array<bool, ${Q}>;
  var sumC = 0.0; var sumIn = 0.0; var sumOut = 0.0; var n = 0u;
  var last = Walk(0.0, 0.0, 0.0, 0.0, false);
  for (var q = 0u; q < prm.nq; q++) {
    let w = walk(quantile(q), k0, k1);
    cq[q] = w.cBar;
    leaves[q] = !w.stopped;
    last = w;
    if (!w.stopped) { sumC += w.cBar; sumIn += w.cIn; sumOut += w.cOut; n++; }
  }
  var c = last.cBar;
  if (n > 0u) { c = sumC / f32(n); muonOut[i] = vec4<f32>(c, sumIn / f32(n), sumOut / f32(n), 0.0); }
  else { muonOut[i] = vec4<f32>(c, last.cIn, last.cOut, 1.0); }
  // the mixture over the values that leave (the last value when none does)
  var vals: array<f32, ${Q}>;
  var nv = 0u;
  for (var q = 0u; q < prm.nq; q++) { if (leaves[q]) { vals[nv] = cq[q]; nv++; } }
  if (nv == 0u) { vals[0] = last.cBar; nv = 1u; }
  var mean = 0.0;
  for (var v = 0u; v < nv; v++) { mean += vals[v]; }
  mean /= f32(nv);
  var wts: array<f32, ${Q}>;
  var kappa = 1.0;
  if (nv == 1u) { wts[0] = 1.0; } else { kappa = mixture_weights(&vals, nv, &wts); }
  let t = path_t(k0, k1);
  let g = g_of(t);
  let gp = g_prime(t);
  for (var k = k0; k < k1; k++) { entryOut[k].y = mean * gp * bitcast<f32>(entries[k].y); }
  // Σ_q w_q z_q = c̄ g′ L κ + g Σ_q (w_q c̄/c_q) ∂c_q/∂λ, over κ
  if (n == 0u) {
    _ = derivative(quantile(prm.nq - 1u), k0, k1, 1.0, g);
  } else {
    var v = 0u;
    for (var q = 0u; q < prm.nq; q++) {
      if (!leaves[q]) { continue; }
      _ = derivative(quantile(q), k0, k1, 1.0 / f32(n), (g * wts[v] * mean) / (vals[v] * kappa));
      v++;
    }
  }
  return vec2<f32>(c, kappa);
}

// the path in radiation lengths, Σ L λ
fn path_t(k0: u32, k1: u32) -> f32 {
  var t = 0.0;
  for (var k = k0; k < k1; k++) { t += bitcast<f32>(entries[k].y) * lambda[entries[k].x]; }
  return t;
}

// the Fisher term's constants of muon i (fisher-blocks.ts fisherBlock): c·g, and per entry κ (c g′ L)² and
// κ (c g′ L) ∂s/∂λ, with ∂s/∂λ = c g′ L + g ∂c̄/∂λ for a point momentum and the mixture's slope for a prior
fn fisher_constants(i: u32, k0: u32, k1: u32, c: f32, kappa: f32) {
  let t = path_t(k0, k1);
  muonFisher[i] = vec2<f32>(kappa, 0.0);
  if (!(t > 0.0)) { return; }
  let g = g_of(t);
  let cgp = c * g_prime(t);
  muonFisher[i].y = c * g;
  for (var k = k0; k < k1; k++) {
    let e = entryOut[k];
    let score = cgp * bitcast<f32>(entries[k].y);
    var ds = score + g * e.x;
    if (prm.prior != 0u) { ds = e.y; }
    entryOut[k] = vec4<f32>(e.x, e.y, kappa * score * score, kappa * score * ds);
  }
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let k0 = rowStart[i];
  let k1 = rowStart[i + 1u];
  keep = false;
  for (var k = k0; k < k1; k++) { entryOut[k] = vec4<f32>(0.0); }
  var ck = vec2<f32>(0.0, 1.0);
  if (prm.prior == 0u) { ck.x = point_muon(i, k0, k1); } else { ck = prior_muon(i, k0, k1); }
  fisher_constants(i, k0, k1, ck.x, ck.y);
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds momentum derivative', SHADER),
  buffers: new KernelBuffers(device),
}))

/** the kernel's outputs for a path matrix: per muon (c̄, c at the entry, at the exit, stops) and (κ, c·g), per entry
 *  (∂c̄/∂λ, ∂s/∂λ, a, b) */
interface DerivativeBuffers { N: number; nnz: number; muonOut: GPUBuffer; muonFisher: GPUBuffer; entryOut: GPUBuffer }

/** run the kernel over `paths` (at least one entry) under λ: a matrix on the CPU goes up, a resident one
 *  (gpu/path-resident.ts) is read where it lies */
function runDerivative(device: GPUDevice, paths: PathMatrix | ResidentPaths, lambda: ArrayLike<number>, entry: EntryMomentum): DerivativeBuffers {
  const k = kernel(device)
  const N = paths.nMuons, nnz = paths.nnz
  const prm = momentumParams(N, entry)
  const buf = k.buffers
  const upload = (name: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>) => buf.upload(name, data)
  const rows = isResident(paths) ? paths.rowStart : upload('momentum derivative rows', Uint32Array.from(rowStarts(paths)))
  const entries = isResident(paths) ? paths.entries : upload('momentum derivative paths', pairs(paths.voxel, paths.length, nnz))
  const params = buf.uniform('momentum derivative params', prm.byteLength)
  device.queue.writeBuffer(params, 0, prm)
  const out = {
    N, nnz, muonOut: buf.storage('momentum derivative muons', 16 * N), muonFisher: buf.storage('momentum derivative fisher', 8 * N),
    entryOut: buf.room('momentum derivative entries', 16 * nnz),
  }
  dispatch(device, k.pipeline, [
    params, rows, entries, upload('momentum derivative lambda', Float32Array.from(lambda)),
    upload('momentum derivative point', entry.kind === 'prior' ? new Float32Array(1) : Float32Array.from(entry.p)),
    out.muonOut, out.muonFisher, out.entryOut, buf.room('momentum derivative scratch', 16 * nnz),
  ], N)
  return out
}

/** c̄ and c at the stacks per muon, and whether it stops, read back */
async function readMuons(device: GPUDevice, b: DerivativeBuffers): Promise<PathMomentum> {
  const m = await readFloats(device, b.muonOut, 4 * b.N)
  const pick = (o: number) => Float64Array.from({ length: b.N }, (_, i) => m[4 * i + o])
  return { c: pick(0), cIn: pick(1), cOut: pick(2), stops: Uint8Array.from({ length: b.N }, (_, i) => m[4 * i + 3]) }
}

/** pathMomentum(paths, lambda, entry, { derivative: true, mixture: true }) on `device`: c̄, c at the stacks, whether
 *  each muon stops, ∂c̄/∂λ per entry, and for a prior κ and ∂s/∂λ per entry; with the Fisher term's constants as
 *  fisherArrays (fisher-blocks.ts) makes them from these */
export async function pathMomentumDerivativeGpu(
  device: GPUDevice, paths: PathMatrix, lambda: ArrayLike<number>, entry: EntryMomentum,
): Promise<PathMomentum & { fisher: { cg: Float32Array; a: Float32Array; b: Float32Array } }> {
  // no entries to walk (and buffers of structs cannot be empty): the CPU's is immediate
  if (!paths.nnz) {
    const m = pathMomentum(paths, lambda, entry, { derivative: true, mixture: true })
    return { ...m, fisher: fisherArrays(paths, lambda, m) }
  }
  const b = runDerivative(device, paths, lambda, entry)
  const [out, f, e] = await Promise.all([readMuons(device, b), readFloats(device, b.muonFisher, 2 * b.N), readFloats(device, b.entryOut, 4 * b.nnz)])
  const column = (a: Float32Array, stride: number, o: number, n: number) => Float32Array.from({ length: n }, (_, i) => a[stride * i + o])
  out.dc = Float64Array.from(column(e, 4, 0, b.nnz))
  if (entry.kind === 'prior') {
    out.kappa = Float64Array.from(column(f, 2, 0, b.N))
    out.ds = Float64Array.from(column(e, 4, 1, b.nnz))
  }
  return { ...out, fisher: { cg: column(f, 2, 1, b.N), a: column(e, 4, 2, b.nnz), b: column(e, 4, 3, b.nnz) } }
}

/**
 * The Fisher term's constants on the true paths under the true densities (fisher.ts fisherConstants) with the momentum
 * model's c at the stacks (pipeline.ts truthScattering's cIn and cOut, for the panels' term), as tensors copied on
 * the GPU from the kernel's buffers: nothing is read back. Null when the paths have no entry.
 */
export function fisherOnGpu(
  device: GPUDevice, paths: PathMatrix | ResidentPaths, lambdaTrue: ArrayLike<number>, entry: EntryMomentum,
): { constants: FisherConstants; stacks: { cIn: tf.Tensor1D; cOut: tf.Tensor1D } } | null {
  if (!paths.nnz) return null
  const b = runDerivative(device, paths, lambdaTrue, entry)
  const [cg] = bufferColumns(b.muonFisher, b.N, 2, [1]), [a, bb] = bufferColumns(b.entryOut, b.nnz, 4, [2, 3])
  const [cIn, cOut] = bufferColumns(b.muonOut, b.N, 4, [1, 2])
  return { constants: { cg, a, b: bb, lambda2: tf.tensor1d(Float32Array.from(lambdaTrue, (l) => l * l)) }, stacks: { cIn, cOut } }
}
