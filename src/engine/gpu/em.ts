/// <reference types="@webgpu/types" />
// The EM solve (muography/em.ts) with its iterations on the GPU: per iteration a muon pass (one invocation per muon:
// its path in radiation lengths, core weight and update terms, summed per workgroup), a one-invocation pass that
// turns the sums into the next tail weight ε, and a voxel pass (one invocation per voxel: the multiplicative update
// from the voxel's entries, read by voxel). The path matrix, both ways, goes up once per solve, unless the trace
// left it on the GPU (gpu/path-resident.ts), whose by-voxel copy is then made there (gpu/path-columns.ts). The
// momentum model's refreshes of c and e and the absorption term run on the GPU too when the solve is given their
// inputs (gpu/momentum.ts, gpu/absorption.ts), and with the refreshes a cold start's (gpu/em-start.ts); else on the
// CPU, which reads λ back (V floats) on the iterations that need it. The coverage (Σ w·L per voxel) is a voxel pass of
// its own. float32 instead of float64: λ agrees with the CPU solve within float32 rounding carried through the
// iterations (gpu/check.ts).
import {
  CORE_FLOOR, emStart, INFO_FLOOR, LAMBDA_MAX, LAMBDA_MIN, solveScatteringDensity, TAIL_WEIGHT, TAIL_WEIGHT_RANGE,
  type EmOptions, type EmResult, type MuonObservations,
} from '../muography/em'
import { pathsByVoxel } from '../muography/em-blocks'
import { rowStarts, type PathMatrix } from '../muography/paths'
import { computePipeline, groups, KernelBuffers, noteDispatch, perDevice, readFloats, WGSL_INDEX, WORKGROUP, WORKGROUP_SUM_WGSL } from './device'
import { momentumRefresh, type MomentumInputs } from './momentum'
import { pairs } from './paths'
import { columnsGpu } from './path-columns'
import { isResident, type ResidentPaths } from './path-resident'
import { HIGHLAND_G_WGSL } from './highland-wgsl'
import { recordColdStart } from './em-start'
import { EM_PARAMS_WGSL, PARTIAL_TOTAL_WGSL } from './em-wgsl'
import type { AbsorptionObservations } from '../muography/absorption'
import { tf } from '../core/tensor'
import { absorptionPasses, type ResidentAbsorption } from './absorption'
import { bufferColumns, copyTensor } from './tensor-copy'

/** the most values an unknown momentum's prior may have (pipeline.ts uses 16) */
export const EM_GPU_MAX_Q = 64

const f = (x: number) => x.toExponential(9)

const COMMON = HIGHLAND_G_WGSL + EM_PARAMS_WGSL

const MUON_PASS = COMMON + WORKGROUP_SUM_WGSL + /* wgsl */ `
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
// per entry (muon-major): voxel, bits of the length
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> lambda: array<f32>;
// per muon: m, e, w, c
@group(0) @binding(4) var<storage, read> obs: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> mixC: array<f32>;
// per muon: the numerator's and denominator's terms, the weight w·r
@group(0) @binding(6) var<storage, read_write> terms: array<vec4<f32>>;
// per workgroup: Σ w, Σ (w − w·r)
@group(0) @binding(7) var<storage, read_write> partial: array<vec2<f32>>;
@group(0) @binding(8) var<storage, read> state: array<f32>;

// [0] r, [1] Σ ρ_q c_q m/s_q², [2] Σ ρ_q c_q/s_q (em.ts mixtureUpdate)
fn mixture(i: u32, m: f32, e: f32, g: f32, eps: f32) -> vec3<f32> {
  var l: array<f32, ${EM_GPU_MAX_Q}>;
  var top = -3.0e38;
  var n = 0.0;
  var sMean = 0.0;
  let o = i * prm.mixQ;
  for (var q = 0u; q < prm.mixQ; q++) {
    let cq = mixC[o + q];
    if (!(cq > 0.0)) { continue; }
    let s = cq * g + e;
    l[q] = -m / s - log(s);
    top = max(top, l[q]);
    sMean += s;
    n += 1.0;
  }
  if (n == 0.0) { return vec3<f32>(0.0); }
  sMean /= n;
  var fs = 0.0;
  var num = 0.0;
  var den = 0.0;
  for (var q = 0u; q < prm.mixQ; q++) {
    let cq = mixC[o + q];
    if (!(cq > 0.0)) { continue; }
    let s = cq * g + e;
    let d = exp(l[q] - top);
    fs += d;
    num += d * cq * m / (s * s);
    den += d * cq / s;
  }
  let lnCore = log(1.0 - eps) + top + log(fs / n);
  let lnTail = log(eps * sMean / ((m + sMean) * (m + sMean)));
  let r = 1.0 / (1.0 + exp(lnTail - lnCore));
  return vec3<f32>(select(r, 0.0, r < ${f(CORE_FLOOR)}), num / fs, den / fs);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let i = ${WGSL_INDEX};
  var contribution = vec2<f32>(0.0);
  if (i < prm.nMuons) {
    var t = 0.0;
    for (var k = rowStart[i]; k < rowStart[i + 1u]; k++) {
      let en = entries[k];
      t += bitcast<f32>(en.y) * lambda[en.x];
    }
    let o = obs[i];
    let m = o.x; let e = o.y; let w = o.z; let c = o.w;
    let eps = state[0];
    var out = vec4<f32>(0.0);
    if (w > 0.0 && t > 0.0) {
      if (prm.mixQ > 0u) {
        let r = mixture(i, m, e, g_of(t), eps);
        let a = w * r.x * g_prime(t);
        out = vec4<f32>(a * r.y, a * r.z, w * r.x, 0.0);
      } else {
        let s = c * g_of(t) + e;
        let core = (1.0 - eps) * exp(-m / s) / s;
        var r = core / (core + eps * s / ((m + s) * (m + s)));
        if (r < ${f(CORE_FLOOR)}) { r = 0.0; }
        let a = w * r * c * g_prime(t);
        out = vec4<f32>(a * m / (s * s), a / s, w * r, 0.0);
      }
      contribution = vec2<f32>(w, w - out.z);
    }
    terms[i] = out;
  }
  let total = workgroup_sum(contribution, li);
  if (li == 0u) { partial[wid.x + wid.y * nwg.x] = total; }
}
`

const EPS_PASS = COMMON + PARTIAL_TOTAL_WGSL + /* wgsl */ `
@group(0) @binding(2) var<storage, read_write> state: array<f32>;

@compute @workgroup_size(1)
fn main() {
  let s = partial_total();
  if (s.x > 0.0) { state[0] = clamp(s.y / s.x, ${f(TAIL_WEIGHT_RANGE[0])}, ${f(TAIL_WEIGHT_RANGE[1])}); }
}
`

const VOXEL_PASS = COMMON + /* wgsl */ `
@group(0) @binding(1) var<storage, read> colStart: array<u32>;
// per entry (voxel-major, muon order within a voxel): muon, bits of the length
@group(0) @binding(2) var<storage, read> colEntries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> terms: array<vec4<f32>>;
// per voxel: the absorption term's additions to the numerator and the denominator (0 without it)
@group(0) @binding(4) var<storage, read> absorption: array<vec2<f32>>;
@group(0) @binding(5) var<storage, read_write> lambda: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = ${WGSL_INDEX};
  if (j >= prm.nVoxels) { return; }
  var num = 0.0;
  var den = 0.0;
  for (var q = colStart[j]; q < colStart[j + 1u]; q++) {
    let en = colEntries[q];
    let L = bitcast<f32>(en.y);
    let a = terms[en.x];
    num += a.x * L;
    den += a.y * L;
  }
  num += absorption[j].x;
  den += absorption[j].y;
  if (den * lambda[j] > ${f(INFO_FLOOR)}) { lambda[j] = clamp(lambda[j] * num / den, ${f(LAMBDA_MIN)}, ${f(LAMBDA_MAX)}); }
}
`

// per voxel: Σ w·L over its entries (em.ts coverageOf), from the by-voxel copy
const COVERAGE_PASS = COMMON + /* wgsl */ `
@group(0) @binding(1) var<storage, read> colStart: array<u32>;
@group(0) @binding(2) var<storage, read> colEntries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> obs: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> coverage: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = ${WGSL_INDEX};
  if (j >= prm.nVoxels) { return; }
  var s = 0.0;
  for (var q = colStart[j]; q < colStart[j + 1u]; q++) {
    let en = colEntries[q];
    let w = obs[en.x].z;
    if (w > 0.0) { s += w * bitcast<f32>(en.y); }
  }
  coverage[j] = s;
}
`

const kernels = perDevice((device) => {
  const pipeline = (label: string, code: string) => computePipeline(device, label, code)
  return {
    muons: pipeline('dds em muons', MUON_PASS),
    eps: pipeline('dds em eps', EPS_PASS),
    voxels: pipeline('dds em voxels', VOXEL_PASS),
    coverage: pipeline('dds em coverage', COVERAGE_PASS),
    buffers: new KernelBuffers(device),
  }
})

/** the momentum model's refresh on the GPU: its inputs, and the arrays a CPU refresh would have updated (obs.c,
 *  obs.e, the prior's mixture, c at the stacks), written once the solve ends */
export interface GpuMomentum {
  inputs: MomentumInputs
  out: { c: Float64Array; e: Float64Array; cIn: Float64Array; cOut: Float64Array; mixC?: Float64Array }
}

/** what a solve can compute on the GPU instead of calling back to the CPU: the momentum model's refreshes and the
 *  absorption term (the observations opts.absorption was made from, or the same with their paths on the GPU); and
 *  the observations m, e and w as tensors where the tape left them, in place of obs's (and of the refresh's fit e) */
export interface GpuTerms {
  momentum?: GpuMomentum
  absorption?: AbsorptionObservations | ResidentAbsorption | null
  observed?: { m: tf.Tensor1D; e: tf.Tensor1D; w: tf.Tensor1D }
}

function residentColumns(device: GPUDevice, paths: ResidentPaths): { colStartB: GPUBuffer; colB: GPUBuffer } {
  const c = columnsGpu(device, paths)
  return { colStartB: c.colStart, colB: c.colEntries }
}

/** a matrix on the CPU up to the GPU, both ways (the by-voxel copy made on the CPU) */
function uploadPaths(upload: (name: string, data: Uint32Array<ArrayBuffer>) => GPUBuffer, paths: PathMatrix) {
  const cols = pathsByVoxel(paths), nnz = paths.nnz
  return {
    rowStart: upload('em rows', Uint32Array.from(rowStarts(paths))), entries: upload('em entries', pairs(paths.voxel, paths.length, nnz)),
    colStartB: upload('em columns', Uint32Array.from(cols.colStart)), colB: upload('em column entries', pairs(cols.colMuon, cols.colLength, nnz)),
  }
}

/** solveScatteringDensity (em.ts) with the iterations on the GPU: the same options and result. With gpu.momentum the
 *  refreshes (opts.refreshOn), a cold start's included, run on the GPU instead of opts.refresh; with gpu.absorption
 *  the absorption term does instead of opts.absorption. */
export async function solveScatteringDensityGpu(
  device: GPUDevice, paths: PathMatrix | ResidentPaths, obs: MuonObservations, opts: EmOptions = {}, gpu: GpuTerms = {},
): Promise<EmResult> {
  if (!paths.nnz || !paths.nVoxels) {
    if (isResident(paths)) throw new Error('an empty path matrix left on the GPU')
    return solveScatteringDensity(paths, obs, opts)
  }
  const q = await queueSolve(device, paths, obs, opts, gpu)
  const { V, N, momentum } = q
  // what the solve returns comes back in one wait
  const [last, t, cov] = await Promise.all([
    q.readLast ? readFloats(device, q.lambdaB, V) : null, readFloats(device, q.terms, 4 * N), readFloats(device, q.coverageB, V),
    momentum && q.gpuRefresh ? readRefreshed(device, momentum.out, q.obsB, q.gpuRefresh.stack, q.mixB, N) : null,
  ])
  const lambda = last ? Float64Array.from(last) : q.lambda
  const coverage = Float64Array.from(cov)
  const weight = Float64Array.from({ length: N }, (_, i) => t[4 * i + 2])
  return { lambda, coverage, iterations: q.iterations, c: Float64Array.from(obs.c), e: Float64Array.from(obs.e), weight }
}

/** solveScatteringDensityGpu for λ alone, on a matrix left on the GPU whose nnz may be a bound (its rows say how many
 *  entries there are): with the refreshes, the absorption term and the observations all on the GPU, the iterations
 *  are queued before the call returns, and the read of λ starts at once */
export async function solveLambdaGpu(
  device: GPUDevice, paths: ResidentPaths, obs: MuonObservations, opts: EmOptions, gpu: GpuTerms,
): Promise<Float64Array> {
  const q = await queueSolve(device, paths, obs, opts, gpu)
  return q.readLast ? Float64Array.from(await readFloats(device, q.lambdaB, q.V)) : q.lambda
}

/** what a solve leaves on the GPU for a tape (the x0 loss's: muography/session.ts): λ, and per muon c, the weight
 *  w·r and c at the stacks, as tensors */
export interface SolutionTensors {
  lambda: tf.Tensor1D
  c: tf.Tensor1D
  weight: tf.Tensor1D
  cIn: tf.Tensor1D
  cOut: tf.Tensor1D
}

/** solveLambdaGpu with the whole solution left on the GPU as tensors, copied from the solve's buffers as soon as it
 *  is queued (the next solve rewrites them); the refreshes must run on the GPU (gpu.momentum) */
export async function solveTensorsGpu(
  device: GPUDevice, paths: ResidentPaths, obs: MuonObservations, opts: EmOptions, gpu: GpuTerms,
): Promise<SolutionTensors> {
  const q = await queueSolve(device, paths, obs, opts, gpu)
  const stack = q.gpuRefresh?.stack
  if (!stack) throw new Error('a solution stays on the GPU only when the momentum model is refreshed there')
  const [c] = bufferColumns(q.obsB, q.N, 4, [3]), [weight] = bufferColumns(q.terms, q.N, 4, [2])
  const [cIn, cOut] = bufferColumns(stack, q.N, 2, [0, 1])
  return { lambda: tf.tensor({ buffer: q.lambdaB }, [q.V], 'float32') as tf.Tensor1D, c, weight, cIn, cOut }
}

/** the solve queued on the GPU up to its last iteration (reading λ back between iterations only where the CPU
 *  refreshes or adds the absorption term); paths with entries */
async function queueSolve(device: GPUDevice, paths: PathMatrix | ResidentPaths, obs: MuonObservations, opts: EmOptions, gpu: GpuTerms) {
  const momentum = gpu.momentum
  const k = kernels(device)
  const V = paths.nVoxels, N = paths.nMuons
  const Q = obs.mix?.q ?? 0
  if (Q > EM_GPU_MAX_Q) throw new Error(`the GPU EM takes at most ${EM_GPU_MAX_Q} prior momenta, got ${Q}`)
  // a cold start's first refresh and best single λ run on the GPU too when its refreshes do (gpu/em-start.ts)
  const coldOnGpu = !opts.init && !!momentum
  const start = emStart(paths, obs, opts, coldOnGpu)
  const { iterations, refreshOn } = start
  let lambda = start.lambda
  // whether λ must be read from its buffer at the end (after the last iteration, or a cold start without any)
  let readLast = false
  const buf = k.buffers
  const upload = (name: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>) => buf.upload(name, data)
  const obsData = () => {
    const o = new Float32Array(4 * N)
    for (let i = 0; i < N; i++) { o[4 * i] = obs.m[i]; o[4 * i + 1] = obs.e[i]; o[4 * i + 2] = obs.w[i]; o[4 * i + 3] = obs.c[i] }
    return o
  }
  const [gx, gy] = groups(N)
  const nGroups = gx * gy
  const params = buf.uniform('em params', 16)
  device.queue.writeBuffer(params, 0, Uint32Array.of(N, V, Q, nGroups))
  // the matrix both ways: where it lies when the trace left it on the GPU (the by-voxel copy made there), else up
  const { rowStart, entries, colStartB, colB } = isResident(paths) ? { ...paths, ...residentColumns(device, paths) } : uploadPaths(upload, paths)
  const lambdaB = upload('em lambda', Float32Array.from(lambda))
  let obsB = gpu.observed ? observedGpu(device, buf, gpu.observed) : upload('em observations', obsData())
  let mixB = upload('em mixture', Float32Array.from(obs.mix?.c ?? [0]))
  const terms = buf.storage('em terms', 16 * N), partial = buf.storage('em partial', 8 * nGroups)
  const state = upload('em state', Float32Array.of(TAIL_WEIGHT))
  const absorption = buf.storage('em absorption', 8 * V)
  const abs = new Float32Array(2 * V)
  device.queue.writeBuffer(absorption, 0, abs)
  const bind = (pipeline: GPUComputePipeline, buffers: GPUBuffer[]) => device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  })
  const gpuRefresh = momentum ? momentumRefresh(device, N, momentum.inputs, gpu.observed?.e) : null
  // null: the term is nil, and the absorption buffer keeps its zeros
  const gpuAbsorption = gpu.absorption ? absorptionPasses(device, gpu.absorption, V) : undefined
  const cpuAbsorption = !!opts.absorption && gpuAbsorption === undefined
  // λ is needed on the CPU on an iteration that adds the absorption term or refreshes there
  const needsLambda = (it: number) => cpuAbsorption || (!gpuRefresh && !!opts.refresh && refreshOn(it))
  const recordMuons = (pass: GPUComputePassEncoder) => {
    pass.setPipeline(k.muons)
    pass.setBindGroup(0, bind(k.muons, [params, rowStart, entries, lambdaB, obsB, mixB, terms, partial, state]))
    pass.dispatchWorkgroups(gx, gy)
    noteDispatch(k.muons)
  }
  // the coverage from the observations' weights, which the refreshes leave as they are
  const coverageB = buf.storage('em coverage', 4 * V)
  {
    const enc = device.createCommandEncoder()
    const pass = enc.beginComputePass()
    pass.setPipeline(k.coverage)
    pass.setBindGroup(0, bind(k.coverage, [params, colStartB, colB, obsB, coverageB]))
    pass.dispatchWorkgroups(...groups(V))
    noteDispatch(k.coverage)
    pass.end()
    device.queue.submit([enc.finish()])
  }
  if (coldOnGpu && gpuRefresh) {
    const enc = device.createCommandEncoder()
    const pass = enc.beginComputePass()
    recordColdStart(device, pass, {
      params, rowStart, entries, terms, lambda: lambdaB, muonPass: recordMuons,
      refresh: (p) => gpuRefresh.record(p, rowStart, entries, lambdaB, obsB, mixB),
    }, N, V)
    pass.end()
    device.queue.submit([enc.finish()])
    if (iterations === 0) readLast = true
    else if (needsLambda(0)) lambda = Float64Array.from(await readFloats(device, lambdaB, V))
  }
  for (let it = 0; it < iterations; it++) {
    if (opts.refresh && refreshOn(it) && !gpuRefresh) {
      opts.refresh(lambda)
      obsB = upload('em observations', obsData())
      if (obs.mix) mixB = upload('em mixture', Float32Array.from(obs.mix.c))
    }
    if (cpuAbsorption && opts.absorption) {
      const g = opts.absorption(lambda)
      for (let j = 0; j < V; j++) { abs[2 * j] = g.pos[j] + g.curvature[j]; abs[2 * j + 1] = g.neg[j] + g.curvature[j] }
      device.queue.writeBuffer(absorption, 0, abs)
    }
    const enc = device.createCommandEncoder()
    const pass = enc.beginComputePass()
    if (gpuRefresh && refreshOn(it)) gpuRefresh.record(pass, rowStart, entries, lambdaB, obsB, mixB)
    gpuAbsorption?.record(pass, lambdaB, absorption)
    recordMuons(pass)
    pass.setPipeline(k.eps)
    pass.setBindGroup(0, bind(k.eps, [params, partial, state]))
    pass.dispatchWorkgroups(1)
    noteDispatch(k.eps)
    pass.setPipeline(k.voxels)
    pass.setBindGroup(0, bind(k.voxels, [params, colStartB, colB, terms, absorption, lambdaB]))
    pass.dispatchWorkgroups(...groups(V))
    noteDispatch(k.voxels)
    pass.end()
    device.queue.submit([enc.finish()])
    if (it === iterations - 1) readLast = true
    else if (needsLambda(it + 1)) lambda = Float64Array.from(await readFloats(device, lambdaB, V))
  }
  return { V, N, momentum, iterations, lambda, readLast, lambdaB, terms, coverageB, obsB, mixB, gpuRefresh }
}

/** the EM's observations (m, e, w, c per muon) from the tape's tensors, copied on the GPU into the solve's buffer:
 *  m and w; e and c are written by the first refresh, from the fit's e (gpu/momentum.ts) */
function observedGpu(device: GPUDevice, buf: KernelBuffers, t: NonNullable<GpuTerms['observed']>): GPUBuffer {
  const packed = tf.tidy(() => tf.stack([t.m, tf.zerosLike(t.w), t.w, tf.zerosLike(t.w)], 1))
  const out = buf.storage('em observations', 16 * t.w.shape[0])
  copyTensor(device, packed, out)
  packed.dispose()
  return out
}

/** the observations, mixture and stack constants of the last GPU refresh, into the CPU's arrays */
async function readRefreshed(
  device: GPUDevice, out: GpuMomentum['out'], obsB: GPUBuffer, stackB: GPUBuffer, mixB: GPUBuffer, N: number,
): Promise<void> {
  const mixC = out.mixC
  const [o, st, mix] = await Promise.all([
    readFloats(device, obsB, 4 * N), readFloats(device, stackB, 2 * N), mixC ? readFloats(device, mixB, mixC.length) : null,
  ])
  for (let i = 0; i < N; i++) {
    out.e[i] = o[4 * i + 1]; out.c[i] = o[4 * i + 3]
    out.cIn[i] = st[2 * i]; out.cOut[i] = st[2 * i + 1]
  }
  if (mix && mixC) mixC.set(mix)
}
