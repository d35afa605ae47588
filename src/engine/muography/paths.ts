// Path lengths of each muon through each voxel it crosses (the system matrix of the scattering-density
// reconstruction). The path is the polyline entry line → scattering point → exit line, the standard PoCA-kinked
// path of Schultz et al., IEEE TIP 16 (2007) 1985; voxel traversal after Amanatides & Woo (Eurographics 1987).
// Plain typed-array code: paths are treated as fixed geometry (no gradient flows through them).
import { outFloat32, outInt32 } from '../parallel/blocks'
import type { VoxelVolume } from './types'

/** Straight lines through the reference planes: x(z) = x + tx·(z − zRef). */
export interface LinePair {
  n: number
  zIn: number
  zOut: number
  inX: ArrayLike<number>; inY: ArrayLike<number>; inTx: ArrayLike<number>; inTy: ArrayLike<number>
  outX: ArrayLike<number>; outY: ArrayLike<number>; outTx: ArrayLike<number>; outTy: ArrayLike<number>
  /** muons to skip (0) */
  use?: ArrayLike<number>
}

/** Sparse path matrix in coordinate form, entries grouped by muon (muon-major). */
export interface PathMatrix {
  nnz: number
  nMuons: number
  nVoxels: number
  muon: Int32Array
  voxel: Int32Array
  length: Float32Array
  /** per muon: total path length inside the volume */
  total: Float32Array
}

const ROW_STARTS = new WeakMap<PathMatrix, Int32Array>()

/** each muon's first entry, then nnz (nMuons + 1 numbers): made once per matrix, on shared memory when the kernel
 *  threads run */
export function rowStarts(p: PathMatrix): Int32Array {
  let rows = ROW_STARTS.get(p)
  if (rows) return rows
  rows = outInt32(p.nMuons + 1)
  for (let k = 0; k < p.nnz; k++) rows[p.muon[k] + 1]++
  for (let i = 0; i < p.nMuons; i++) rows[i + 1] += rows[i]
  ROW_STARTS.set(p, rows)
  return rows
}

/** the matrix with only the rows of the muons `keep` marks (> 0); the others are left empty, the numbering and
 *  each kept row's entries as they were */
export function keepRows(p: PathMatrix, keep: ArrayLike<number>): PathMatrix {
  const rows = rowStarts(p)
  let nnz = 0
  for (let i = 0; i < p.nMuons; i++) if (keep[i] > 0) nnz += rows[i + 1] - rows[i]
  const out: PathMatrix = {
    nnz, nMuons: p.nMuons, nVoxels: p.nVoxels, muon: outInt32(nnz), voxel: outInt32(nnz), length: outFloat32(nnz),
    total: outFloat32(p.nMuons),
  }
  let k = 0
  for (let i = 0; i < p.nMuons; i++) {
    if (!(keep[i] > 0)) continue
    const a = rows[i], b = rows[i + 1]
    out.muon.set(p.muon.subarray(a, b), k)
    out.voxel.set(p.voxel.subarray(a, b), k)
    out.length.set(p.length.subarray(a, b), k)
    out.total[i] = p.total[i]
    k += b - a
  }
  return out
}

/** Point of closest approach of two lines (Schultz et al., NIM A519 (2004) 687); midpoint if parallel. */
export function pocaOfLines(
  p: [number, number, number], d: [number, number, number],
  q: [number, number, number], e: [number, number, number],
): [number, number, number] {
  const w0 = [p[0] - q[0], p[1] - q[1], p[2] - q[2]]
  const a = d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
  const b = d[0] * e[0] + d[1] * e[1] + d[2] * e[2]
  const c = e[0] * e[0] + e[1] * e[1] + e[2] * e[2]
  const dd = d[0] * w0[0] + d[1] * w0[1] + d[2] * w0[2]
  const ee = e[0] * w0[0] + e[1] * w0[1] + e[2] * w0[2]
  const D = a * c - b * b
  if (Math.abs(D) < 1e-12 * a * c) return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2]
  const s = (b * ee - c * dd) / D
  const t = (a * ee - b * dd) / D
  return [
    (p[0] + s * d[0] + q[0] + t * e[0]) / 2,
    (p[1] + s * d[1] + q[1] + t * e[1]) / 2,
    (p[2] + s * d[2] + q[2] + t * e[2]) / 2,
  ]
}

/** growable (muon, voxel, length) entries, muon-major */
export class EntryBuffer {
  muon: Int32Array
  voxel: Int32Array
  length: Float32Array
  nnz = 0
  constructor(cap: number) {
    this.muon = new Int32Array(cap)
    this.voxel = new Int32Array(cap)
    this.length = new Float32Array(cap)
  }
  push(m: number, v: number, l: number): void {
    // the two segments of a kinked path meet inside one voxel: one entry per (muon, voxel), since quadratic
    // quantities (Fisher information ∝ L²) need the whole length
    const last = this.nnz - 1
    if (last >= 0 && this.muon[last] === m && this.voxel[last] === v) {
      this.length[last] += l
      return
    }
    if (this.nnz === this.muon.length) this.grow()
    this.muon[this.nnz] = m
    this.voxel[this.nnz] = v
    this.length[this.nnz] = l
    this.nnz++
  }
  private grow(): void {
    const cap = this.muon.length * 2
    const mu = new Int32Array(cap); mu.set(this.muon); this.muon = mu
    const vo = new Int32Array(cap); vo.set(this.voxel); this.voxel = vo
    const le = new Float32Array(cap); le.set(this.length); this.length = le
  }
}

/** Add the voxel crossings of segment a→b (clipped to the volume) for muon m; returns the length inside. */
function traceSegment(
  vol: VoxelVolume, buf: EntryBuffer, m: number,
  ax: number, ay: number, az: number, bx: number, by: number, bz: number,
): number {
  const [ox, oy, oz] = vol.origin
  const h = vol.voxel
  const n = [vol.nx, vol.ny, vol.nz]
  const a = [ax - ox, ay - oy, az - oz]
  const d = [bx - ax, by - ay, bz - az]
  const size = [vol.nx * h, vol.ny * h, vol.nz * h]
  let t0 = 0
  let t1 = 1
  for (let k = 0; k < 3; k++) {
    if (Math.abs(d[k]) < 1e-15) {
      if (a[k] < 0 || a[k] > size[k]) return 0
    } else {
      let ta = (0 - a[k]) / d[k]
      let tb = (size[k] - a[k]) / d[k]
      if (ta > tb) { const s = ta; ta = tb; tb = s }
      if (ta > t0) t0 = ta
      if (tb < t1) t1 = tb
    }
  }
  if (t1 <= t0) return 0
  const segLen = Math.hypot(d[0], d[1], d[2])
  const idx = [0, 0, 0]
  const step = [0, 0, 0]
  const tMax = [Infinity, Infinity, Infinity]
  const tDelta = [Infinity, Infinity, Infinity]
  for (let k = 0; k < 3; k++) {
    // start voxel from a point just inside the clipped segment, robust at faces
    const pk = a[k] + d[k] * (t0 + Math.min(1e-9, (t1 - t0) / 2))
    idx[k] = Math.min(n[k] - 1, Math.max(0, Math.floor(pk / h)))
    if (d[k] > 0) {
      step[k] = 1
      tMax[k] = ((idx[k] + 1) * h - a[k]) / d[k]
      tDelta[k] = h / d[k]
    } else if (d[k] < 0) {
      step[k] = -1
      tMax[k] = (idx[k] * h - a[k]) / d[k]
      tDelta[k] = -h / d[k]
    }
  }
  let t = t0
  let inside = 0
  while (t < t1) {
    let k = 0
    if (tMax[1] < tMax[k]) k = 1
    if (tMax[2] < tMax[k]) k = 2
    const tn = Math.min(tMax[k], t1)
    const len = (tn - t) * segLen
    if (len > 0) {
      buf.push(m, idx[0] + vol.nx * (idx[1] + vol.ny * idx[2]), len)
      inside += len
    }
    t = tn
    if (t >= t1) break
    idx[k] += step[k]
    if (idx[k] < 0 || idx[k] >= n[k]) break
    tMax[k] += tDelta[k]
  }
  return inside
}

/**
 * Build the path matrix for muons described by an entry and an exit line. The kink is placed at the PoCA of the
 * two lines, clamped into the volume's height (a PoCA outside the volume carries no information about where
 * inside it the muon scattered).
 */
export function buildPaths(vol: VoxelVolume, lines: LinePair): PathMatrix {
  const n = lines.n
  const buf = new EntryBuffer(Math.max(16, n * 12))
  const total = new Float32Array(n)
  traceMuons(vol, lines, 0, n, buf, total)
  return {
    nnz: buf.nnz,
    nMuons: n,
    nVoxels: vol.nx * vol.ny * vol.nz,
    muon: buf.muon.subarray(0, buf.nnz),
    voxel: buf.voxel.subarray(0, buf.nnz),
    length: buf.length.subarray(0, buf.nnz),
    total,
  }
}

/** The path entries of muons [i0, i1) into buf (in muon order) and their lengths inside the volume into total. */
export function traceMuons(vol: VoxelVolume, lines: LinePair, i0: number, i1: number, buf: EntryBuffer, total: Float32Array): void {
  const { zIn, zOut } = lines
  const zLo = vol.origin[2]
  const zHi = vol.origin[2] + vol.nz * vol.voxel
  for (let i = i0; i < i1; i++) {
    if (lines.use && !lines.use[i]) continue
    const ax = lines.inX[i], ay = lines.inY[i]
    const dIn: [number, number, number] = [lines.inTx[i], lines.inTy[i], 1]
    const bx = lines.outX[i], by = lines.outY[i]
    const dOut: [number, number, number] = [lines.outTx[i], lines.outTy[i], 1]
    const k = pocaOfLines([ax, ay, zIn], dIn, [bx, by, zOut], dOut)
    const kz = Math.min(zHi, Math.max(zLo, k[2]))
    // the kink: mean of the two lines at the (clamped) PoCA height
    const kx = (ax + dIn[0] * (kz - zIn) + bx + dOut[0] * (kz - zOut)) / 2
    const ky = (ay + dIn[1] * (kz - zIn) + by + dOut[1] * (kz - zOut)) / 2
    // extend the lines well beyond the volume so that side entries/exits are traced too
    const zTop = zHi + (zHi - zLo) + 1
    const zBot = zLo - (zHi - zLo) - 1
    const sx = ax + dIn[0] * (zTop - zIn), sy = ay + dIn[1] * (zTop - zIn)
    const ex = bx + dOut[0] * (zBot - zOut), ey = by + dOut[1] * (zBot - zOut)
    total[i] = traceSegment(vol, buf, i, sx, sy, zTop, kx, ky, kz) + traceSegment(vol, buf, i, kx, ky, kz, ex, ey, zBot)
  }
}
