// Random streams per item (a muon): sfc32 (Doty-Humphrey's Small Fast Counter, as core/rng) whose state is the
// Philox word of (the item's index, a sub-stream number) under the stream's key. Item i's draws are a function of (seed, stream, i) alone,
// whatever the block or thread that runs it, and a WGSL kernel (gpu/item-stream-wgsl.ts) draws the same numbers:
// every step is 32-bit integer arithmetic, uniforms are 24-bit (exact in float32), and the normals' ziggurat
// compares integers against integer tables. A Philox word is already a uniformly random state, so no warm-up.
import { philox } from './philox'

/** the state of one item's stream: sfc32's a, b, c, d */
export type ItemStream = Int32Array

const scratch = new Uint32Array(4)

/** Start stream `sub` of item i under key (k0, k1): the state is Philox4×32-10 of counter (i, sub, 0, 0). */
export function seedItem(st: ItemStream, i: number, sub: number, k0: number, k1: number): void {
  philox(i, sub, 0, 0, k0, k1, scratch)
  st[0] = scratch[0]; st[1] = scratch[1]; st[2] = scratch[2]; st[3] = scratch[3]
}

/** the next word (int32) */
export function next32(st: ItemStream): number {
  const a = st[0], b = st[1], c = st[2], d = st[3]
  const t = (a + b + d) | 0
  st[3] = (d + 1) | 0
  st[0] = b ^ (b >>> 9)
  st[1] = (c + (c << 3)) | 0
  st[2] = (((c << 21) | (c >>> 11)) + t) | 0
  return t
}

/** uniform in [0, 1): the word's top 24 bits */
export function uniform(st: ItemStream): number {
  return (next32(st) >>> 8) * (1 / 16777216)
}

// Ziggurat tables, 128 layers (Marsaglia & Tsang, J. Stat. Softw. 5 (2000) 8, zigset): a draw takes a signed
// int32 j, layer i = j & 127, and returns j·w[i] when |j| < k[i] (≈ 99 % of draws), else the wedge or tail path.
// k holds integers, as zigset's uint32 table, so the fast path's test is exact on any device.
export const ZIG_R = 3.442619855899
export const ZIG_K = new Float64Array(128)
export const ZIG_W = new Float64Array(128)
export const ZIG_F = new Float64Array(128)
{
  const m1 = 2147483648, vn = 9.91256303526217e-3
  let dn = ZIG_R, tn = dn
  const q = vn / Math.exp(-0.5 * dn * dn)
  ZIG_K[0] = Math.floor((dn / q) * m1); ZIG_K[1] = 0
  ZIG_W[0] = q / m1; ZIG_W[127] = dn / m1
  ZIG_F[0] = 1; ZIG_F[127] = Math.exp(-0.5 * dn * dn)
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)))
    ZIG_K[i + 1] = Math.floor((dn / tn) * m1)
    tn = dn
    ZIG_F[i] = Math.exp(-0.5 * dn * dn)
    ZIG_W[i] = dn / m1
  }
}

/**
 * Fill buf from index `from` on with the stream's next standard normals by the ziggurat, the state in locals (the
 * CPU's hot loops draw normals in small blocks; a kernel draws the same numbers one by one).
 */
export function fillNormals(st: ItemStream, buf: Float64Array, from = 0): void {
  let a = st[0], b = st[1], c = st[2], d = st[3]
  for (let i = from; i < buf.length; i++) {
    let j = (a + b + d) | 0
    d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (((c << 21) | (c >>> 11)) + j) | 0
    let k = j & 127
    if (Math.abs(j) < ZIG_K[k]) { buf[i] = j * ZIG_W[k]; continue }
    // the wedges and the tail (about 1 % of draws); u is uniform in (0, 1) from a word's top 24 bits and a half
    for (;;) {
      const x = j * ZIG_W[k]
      let w = (a + b + d) | 0
      d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (((c << 21) | (c >>> 11)) + w) | 0
      const u = ((w >>> 8) + 0.5) * (1 / 16777216)
      if (k === 0) {
        // beyond R (Marsaglia, Ann. Math. Stat. 35 (1964) 1375): u and the next words, in pairs
        let tx = -Math.log(u) / ZIG_R
        for (;;) {
          w = (a + b + d) | 0
          d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (((c << 21) | (c >>> 11)) + w) | 0
          const ty = -Math.log(((w >>> 8) + 0.5) * (1 / 16777216))
          if (ty + ty >= tx * tx) break
          w = (a + b + d) | 0
          d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (((c << 21) | (c >>> 11)) + w) | 0
          tx = -Math.log(((w >>> 8) + 0.5) * (1 / 16777216)) / ZIG_R
        }
        buf[i] = j > 0 ? ZIG_R + tx : -ZIG_R - tx
        break
      }
      if (ZIG_F[k] + u * (ZIG_F[k - 1] - ZIG_F[k]) < Math.exp(-0.5 * x * x)) { buf[i] = x; break }
      j = (a + b + d) | 0
      d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (((c << 21) | (c >>> 11)) + j) | 0
      k = j & 127
      if (Math.abs(j) < ZIG_K[k]) { buf[i] = j * ZIG_W[k]; break }
    }
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d
}
