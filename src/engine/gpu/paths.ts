/// <reference types="@webgpu/types" />
// Path tracing (muography/paths.ts buildPaths) as a WGSL kernel: one invocation per muon places the kink at the
// PoCA of its two lines and walks both segments through the voxel grid (Amanatides & Woo), writing its entries into
// its own fixed slots (at most `slotsPerMuon(vol)`), merged as buildPaths merges them. Geometry only, no random
// numbers; float32 instead of float64, so a path that grazes a voxel edge can put a sliver in the neighbour, and a
// face crossed at a grazing angle moves by the coordinate's rounding over the direction cosine across it. On webgpu
// the step traces its path matrices here and packs them on the GPU (gpu/path-pack.ts): the true paths and the map's
// stay there (gpu/path-resident.ts), the others are read back (tracePathsOnGpu). gpu/check.ts compares the kernel
// with buildPaths.
import { outFloat32, outInt32 } from '../parallel/blocks'
import type { LinePair, PathMatrix } from '../muography/paths'
import type { VoxelVolume } from '../muography/types'
import { computePipeline, dispatch, KernelBuffers, perDevice, readBuffer, WGSL_INDEX, WORKGROUP } from './device'
import { packPathsGpu } from './path-pack'
import { LINE_FLOATS, type GpuLines } from './track-lines'

const SHADER = /* wgsl */ `
struct Params {
  n: u32, cap: u32, nx: u32, ny: u32, nz: u32, pad0: u32, pad1: u32, pad2: u32,
  ox: f32, oy: f32, oz: f32, h: f32, zIn: f32, zOut: f32, pad3: f32, pad4: f32,
}
@group(0) @binding(0) var<uniform> prm: Params;
// per muon: inX, inY, inTx, inTy, outX, outY, outTx, outTy, use
@group(0) @binding(1) var<storage, read> lines: array<f32>;
@group(0) @binding(2) var<storage, read_write> count: array<u32>;
@group(0) @binding(3) var<storage, read_write> voxel: array<i32>;
@group(0) @binding(4) var<storage, read_write> len: array<f32>;
@group(0) @binding(5) var<storage, read_write> total: array<f32>;

const FAR: f32 = 3.0e38;
var<private> base: u32;
var<private> cnt: u32;

fn push(v: i32, l: f32) {
  if (cnt > 0u && voxel[base + cnt - 1u] == v) {
    len[base + cnt - 1u] += l;
    return;
  }
  if (cnt < prm.cap) {
    voxel[base + cnt] = v;
    len[base + cnt] = l;
    cnt++;
  }
}

fn trace(pa: vec3<f32>, pb: vec3<f32>) -> f32 {
  let h = prm.h;
  let n = vec3<i32>(i32(prm.nx), i32(prm.ny), i32(prm.nz));
  let a0 = pa - vec3<f32>(prm.ox, prm.oy, prm.oz);
  let d0 = pb - pa;
  let size = vec3<f32>(n) * h;
  var t0 = 0.0;
  var t1 = 1.0;
  for (var k = 0; k < 3; k++) {
    if (abs(d0[k]) < 1e-15) {
      if (a0[k] < 0.0 || a0[k] > size[k]) { return 0.0; }
    } else {
      var ta = (0.0 - a0[k]) / d0[k];
      var tb = (size[k] - a0[k]) / d0[k];
      if (ta > tb) { let s = ta; ta = tb; tb = s; }
      t0 = max(t0, ta);
      t1 = min(t1, tb);
    }
  }
  if (t1 <= t0) { return 0.0; }
  // walk the clipped part only, t in [0, 1] (the segments start metres outside the volume)
  let a = a0 + d0 * t0;
  let d = d0 * (t1 - t0);
  let segLen = length(d);
  var idx = vec3<i32>(0);
  var stp = vec3<i32>(0);
  var tMax = vec3<f32>(FAR);
  var tDelta = vec3<f32>(FAR);
  for (var k = 0; k < 3; k++) {
    // the start voxel from a point just inside, robust at faces (the index is clamped into the grid)
    let pk = a[k] + d[k] * 1e-6;
    idx[k] = min(n[k] - 1, max(0, i32(floor(pk / h))));
    if (d[k] > 0.0) {
      stp[k] = 1;
      tMax[k] = (f32(idx[k] + 1) * h - a[k]) / d[k];
      tDelta[k] = h / d[k];
    } else if (d[k] < 0.0) {
      stp[k] = -1;
      tMax[k] = (f32(idx[k]) * h - a[k]) / d[k];
      tDelta[k] = -h / d[k];
    }
  }
  var t = 0.0;
  var inside = 0.0;
  // a straight segment crosses at most nx + ny + nz voxels
  for (var guard = 0; guard <= n.x + n.y + n.z && t < 1.0; guard++) {
    var k = 0;
    if (tMax[1] < tMax[k]) { k = 1; }
    if (tMax[2] < tMax[k]) { k = 2; }
    let tn = min(tMax[k], 1.0);
    let l = (tn - t) * segLen;
    if (l > 0.0) {
      push(idx.x + n.x * (idx.y + n.y * idx.z), l);
      inside += l;
    }
    t = tn;
    if (t >= 1.0) { break; }
    idx[k] += stp[k];
    if (idx[k] < 0 || idx[k] >= n[k]) { break; }
    tMax[k] += tDelta[k];
  }
  return inside;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  base = i * prm.cap;
  cnt = 0u;
  let o = i * 9u;
  if (lines[o + 8u] == 0.0) { count[i] = 0u; total[i] = 0.0; return; }
  let a = vec2<f32>(lines[o], lines[o + 1u]);
  let dIn = vec3<f32>(lines[o + 2u], lines[o + 3u], 1.0);
  let b = vec2<f32>(lines[o + 4u], lines[o + 5u]);
  let dOut = vec3<f32>(lines[o + 6u], lines[o + 7u], 1.0);
  let p = vec3<f32>(a, prm.zIn);
  let q = vec3<f32>(b, prm.zOut);
  // PoCA of the two lines (paths.ts pocaOfLines, midpoint if parallel): only its height is used. In cross
  // products: the Gram determinant a·c − b² cancels to nothing in float32 for lines a few mrad apart
  let nn = cross(dIn, dOut);
  let D = dot(nn, nn);
  var kz = (p.z + q.z) / 2.0;
  if (D >= 1e-12 * dot(dIn, dIn) * dot(dOut, dOut)) {
    let r = q - p;
    let s = dot(cross(r, dOut), nn) / D;
    let t = dot(cross(r, dIn), nn) / D;
    kz = (p.z + s * dIn.z + q.z + t * dOut.z) / 2.0;
  }
  let zLo = prm.oz;
  let zHi = prm.oz + f32(prm.nz) * prm.h;
  kz = min(zHi, max(zLo, kz));
  let kx = (a.x + dIn.x * (kz - prm.zIn) + b.x + dOut.x * (kz - prm.zOut)) / 2.0;
  let ky = (a.y + dIn.y * (kz - prm.zIn) + b.y + dOut.y * (kz - prm.zOut)) / 2.0;
  let zTop = zHi + (zHi - zLo) + 1.0;
  let zBot = zLo - (zHi - zLo) - 1.0;
  let s0 = vec3<f32>(a + dIn.xy * (zTop - prm.zIn), zTop);
  let e0 = vec3<f32>(b + dOut.xy * (zBot - prm.zOut), zBot);
  let kink = vec3<f32>(kx, ky, kz);
  total[i] = trace(s0, kink) + trace(kink, e0);
  count[i] = cnt;
}
`

/** entries one muon can have: two segments of at most nx + ny + nz voxels each */
export function slotsPerMuon(vol: VoxelVolume): number {
  return 2 * (vol.nx + vol.ny + vol.nz)
}

export interface PathBuffers {
  /** entries per muon, [n] */
  count: GPUBuffer
  /** voxel index and length of muon i's entries in slots [i·cap, i·cap + count[i]) */
  voxel: GPUBuffer
  length: GPUBuffer
  /** path length inside the volume per muon, [n] */
  total: GPUBuffer
  cap: number
}

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds paths', SHADER),
  buffers: new KernelBuffers(device),
}))

/** the lines in the kernel's layout, per muon inX, inY, inTx, inTy, outX, outY, outTx, outTy, use */
export function packLines(lines: LinePair): Float32Array<ArrayBuffer> {
  const n = lines.n, packed = new Float32Array(LINE_FLOATS * n)
  const cols = [lines.inX, lines.inY, lines.inTx, lines.inTy, lines.outX, lines.outY, lines.outTx, lines.outTy]
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 8; c++) packed[LINE_FLOATS * i + c] = cols[c][i]
    packed[LINE_FLOATS * i + 8] = lines.use ? lines.use[i] : 1
  }
  return packed
}

/** Trace the muons' kinked paths through the volume on the GPU: lines from the host, or already on the device in
 *  the kernel's layout (gpu/track-lines.ts) */
export function tracePathsGpu(device: GPUDevice, vol: VoxelVolume, lines: LinePair | GpuLines): PathBuffers {
  const k = kernel(device)
  const n = lines.n, cap = slotsPerMuon(vol)
  let lineBuf: GPUBuffer
  if ('buffer' in lines) lineBuf = lines.buffer
  else {
    const packed = packLines(lines)
    lineBuf = k.buffers.storage('path lines', packed.byteLength)
    device.queue.writeBuffer(lineBuf, 0, packed)
  }
  const prm = new ArrayBuffer(64)
  new Uint32Array(prm).set([n, cap, vol.nx, vol.ny, vol.nz])
  new Float32Array(prm).set([...vol.origin, vol.voxel, lines.zIn, lines.zOut], 8)
  const params = k.buffers.uniform('path params', 64)
  device.queue.writeBuffer(params, 0, prm)
  const out: PathBuffers = {
    count: k.buffers.storage('path count', 4 * n), voxel: k.buffers.storage('path voxel', 4 * n * cap),
    length: k.buffers.storage('path length', 4 * n * cap), total: k.buffers.storage('path total', 4 * n), cap,
  }
  dispatch(device, k.pipeline, [params, lineBuf, out.count, out.voxel, out.length, out.total], n)
  return out
}

/** the kernel's slots for n muons packed in muon order on the GPU (gpu/path-pack.ts) and read back, as buildPaths'
 *  matrix (on shared memory: the kernel threads read it) */
export async function readPaths(device: GPUDevice, g: PathBuffers, n: number, nVoxels: number): Promise<PathMatrix> {
  const packed = packPathsGpu(device, n, g.cap, g)
  const [count, totalBytes, nnzWord] = await Promise.all([
    readBuffer(device, g.count, 4 * n).then((b) => new Uint32Array(b)),
    readBuffer(device, g.total, 4 * n),
    readBuffer(device, packed.nnz, 4).then((b) => new Uint32Array(b)),
  ])
  const nnz = nnzWord[0]
  const [voxelBytes, lengthBytes] = await Promise.all([readBuffer(device, packed.voxel, 4 * nnz), readBuffer(device, packed.length, 4 * nnz)])
  const muon = outInt32(nnz), voxel = outInt32(nnz), length = outFloat32(nnz), total = outFloat32(n)
  total.set(new Float32Array(totalBytes))
  voxel.set(new Int32Array(voxelBytes))
  length.set(new Float32Array(lengthBytes))
  for (let i = 0, k = 0; i < n; i++) {
    muon.fill(i, k, k + count[i])
    k += count[i]
  }
  return { nnz, nMuons: n, nVoxels, muon, voxel, length, total }
}

/** buildPaths on the GPU: the kernel, then its read-back */
export function tracePathsOnGpu(device: GPUDevice, vol: VoxelVolume, lines: LinePair | GpuLines): Promise<PathMatrix> {
  return readPaths(device, tracePathsGpu(device, vol, lines), lines.n, vol.nx * vol.ny * vol.nz)
}

/** entries as (index, bits of the length) pairs, as the kernels read a path matrix */
export function pairs(index: ArrayLike<number>, length: Float32Array, n: number): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(2 * n), bits = new Uint32Array(length.buffer, length.byteOffset, n)
  for (let k = 0; k < n; k++) { out[2 * k] = index[k]; out[2 * k + 1] = bits[k] }
  return out
}
