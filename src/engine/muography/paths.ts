// Path lengths of each muon through each voxel it crosses (the system matrix of the scattering-density
// reconstruction). The path is the polyline entry line → scattering point → exit line, the standard PoCA-kinked
// path of Schultz et al., IEEE TIP 16 (2007) 1985; voxel traversal after Amanatides & Woo (Eurographics 1987).
// Plain typed-array code: paths are treated as fixed geometry (no gradient flows through them).
import { hypot3 } from '../core/hypot'
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

/** The parameters s, t of the points of closest approach p + s·d and q + t·e of two lines (Schultz et al., NIM A519
 *  (2004) 687) into st; false when the lines are parallel. Scalars in and a scratch array out: the path tracing calls
 *  it for every muon, and arrays per call were most of what a step allocated. */
function closestApproach(
  p0: number, p1: number, p2: number, d0: number, d1: number, d2: number,
  q0: number, q1: number, q2: number, e0: number, e1: number, e2: number, st: Float64Array,
): boolean {
  const w0 = p0 - q0, w1 = p1 - q1, w2 = p2 - q2
  const a = d0 * d0 + d1 * d1 + d2 * d2
  const b = d0 * e0 + d1 * e1 + d2 * e2
  const c = e0 * e0 + e1 * e1 + e2 * e2
  const dd = d0 * w0 + d1 * w1 + d2 * w2
  const ee = e0 * w0 + e1 * w1 + e2 * w2
  const D = a * c - b * b
  if (Math.abs(D) < 1e-12 * a * c) return false
  st[0] = (b * ee - c * dd) / D
  st[1] = (a * ee - b * dd) / D
  return true
}

/** Point of closest approach of two lines (closestApproach); midpoint if parallel. */
export function pocaOfLines(
  p: [number, number, number], d: [number, number, number],
  q: [number, number, number], e: [number, number, number],
): [number, number, number] {
  const st = new Float64Array(2)
  if (!closestApproach(p[0], p[1], p[2], d[0], d[1], d[2], q[0], q[1], q[2], e[0], e[1], e[2], st)) {
    return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2]
  }
  const s = st[0], t = st[1]
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

/** traceSegment's clipping interval [t0, t1] (a scratch: the tracing is not re-entered) */
const CLIP = new Float64Array(2)

/** narrow st = [t0, t1] to where a + t·d lies in [0, size]; false when the segment runs parallel to the slab outside it */
function clipToSlab(a: number, d: number, size: number, st: Float64Array): boolean {
  if (Math.abs(d) < 1e-15) return !(a < 0 || a > size)
  let ta = (0 - a) / d, tb = (size - a) / d
  if (ta > tb) { const s = ta; ta = tb; tb = s }
  if (ta > st[0]) st[0] = ta
  if (tb < st[1]) st[1] = tb
  return true
}

/** Add the voxel crossings of segment a→b (clipped to the volume) for muon m; returns the length inside. One
 *  scalar per axis (no arrays): it runs twice per muon for every path matrix of a step. */
function traceSegment(
  vol: VoxelVolume, buf: EntryBuffer, m: number,
  ax: number, ay: number, az: number, bx: number, by: number, bz: number,
): number {
  const h = vol.voxel, nx = vol.nx, ny = vol.ny, nz = vol.nz
  const a0 = ax - vol.origin[0], a1 = ay - vol.origin[1], a2 = az - vol.origin[2]
  const d0 = bx - ax, d1 = by - ay, d2 = bz - az
  // clip to the box [0, n·h] on each axis
  const st = CLIP
  st[0] = 0
  st[1] = 1
  if (!clipToSlab(a0, d0, nx * h, st) || !clipToSlab(a1, d1, ny * h, st) || !clipToSlab(a2, d2, nz * h, st)) return 0
  const t0 = st[0], t1 = st[1]
  if (t1 <= t0) return 0
  const segLen = hypot3(d0, d1, d2)
  // start voxel from a point just inside the clipped segment, robust at faces; then the next face on each axis
  const tIn = t0 + Math.min(1e-9, (t1 - t0) / 2)
  let i0 = Math.min(nx - 1, Math.max(0, Math.floor((a0 + d0 * tIn) / h)))
  let i1 = Math.min(ny - 1, Math.max(0, Math.floor((a1 + d1 * tIn) / h)))
  let i2 = Math.min(nz - 1, Math.max(0, Math.floor((a2 + d2 * tIn) / h)))
  const s0 = d0 > 0 ? 1 : d0 < 0 ? -1 : 0, s1 = d1 > 0 ? 1 : d1 < 0 ? -1 : 0, s2 = d2 > 0 ? 1 : d2 < 0 ? -1 : 0
  let m0 = d0 > 0 ? ((i0 + 1) * h - a0) / d0 : d0 < 0 ? (i0 * h - a0) / d0 : Infinity
  let m1 = d1 > 0 ? ((i1 + 1) * h - a1) / d1 : d1 < 0 ? (i1 * h - a1) / d1 : Infinity
  let m2 = d2 > 0 ? ((i2 + 1) * h - a2) / d2 : d2 < 0 ? (i2 * h - a2) / d2 : Infinity
  const g0 = d0 > 0 ? h / d0 : d0 < 0 ? -h / d0 : Infinity
  const g1 = d1 > 0 ? h / d1 : d1 < 0 ? -h / d1 : Infinity
  const g2 = d2 > 0 ? h / d2 : d2 < 0 ? -h / d2 : Infinity
  let t = t0
  let inside = 0
  while (t < t1) {
    // the axis whose face comes first (the lowest on a tie)
    let k = 0, tk = m0
    if (m1 < tk) { k = 1; tk = m1 }
    if (m2 < tk) { k = 2; tk = m2 }
    const tn = Math.min(tk, t1)
    const len = (tn - t) * segLen
    if (len > 0) {
      buf.push(m, i0 + nx * (i1 + ny * i2), len)
      inside += len
    }
    t = tn
    if (t >= t1) break
    if (k === 0) {
      i0 += s0
      if (i0 < 0 || i0 >= nx) break
      m0 += g0
    } else if (k === 1) {
      i1 += s1
      if (i1 < 0 || i1 >= ny) break
      m1 += g1
    } else {
      i2 += s2
      if (i2 < 0 || i2 >= nz) break
      m2 += g2
    }
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
  // extend the lines well beyond the volume so that side entries/exits are traced too
  const zTop = zHi + (zHi - zLo) + 1
  const zBot = zLo - (zHi - zLo) - 1
  const st = new Float64Array(2)
  for (let i = i0; i < i1; i++) {
    if (lines.use && !lines.use[i]) continue
    const ax = lines.inX[i], ay = lines.inY[i], tx = lines.inTx[i], ty = lines.inTy[i]
    const bx = lines.outX[i], by = lines.outY[i], ux = lines.outTx[i], uy = lines.outTy[i]
    // the PoCA's height (pocaOfLines: the mean of the two closest points, the midpoint if parallel)
    const pz = closestApproach(ax, ay, zIn, tx, ty, 1, bx, by, zOut, ux, uy, 1, st) ? (zIn + st[0] + zOut + st[1]) / 2 : (zIn + zOut) / 2
    const kz = Math.min(zHi, Math.max(zLo, pz))
    // the kink: mean of the two lines at the (clamped) PoCA height
    const kx = (ax + tx * (kz - zIn) + bx + ux * (kz - zOut)) / 2
    const ky = (ay + ty * (kz - zIn) + by + uy * (kz - zOut)) / 2
    const sx = ax + tx * (zTop - zIn), sy = ay + ty * (zTop - zIn)
    const ex = bx + ux * (zBot - zOut), ey = by + uy * (zBot - zOut)
    total[i] = traceSegment(vol, buf, i, sx, sy, zTop, kx, ky, kz) + traceSegment(vol, buf, i, kx, ky, kz, ex, ey, zBot)
  }
}
