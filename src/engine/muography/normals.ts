// Standard normals in blocks, for the propagation's hot loop. A seeded stream (core/rng) seeds a local sfc32 (the
// same generator as core/rng, Doty-Humphrey's Small Fast Counter) whose state lives in locals while a block is
// filled, by the ziggurat method. Everything stays a deterministic function of the stream.
import type { Rng } from '../core/rng'

export const NORMAL_BLOCK = 8192

/** Blocks of standard normals: read buf[pos..], advance pos, and call refill() when fewer than needed remain. */
export class NormalSource {
  readonly buf = new Float64Array(NORMAL_BLOCK)
  pos = 0
  private readonly st = new Int32Array(4)

  constructor(rng: Rng) {
    for (let k = 0; k < 4; k++) this.st[k] = Math.floor(rng.uniform() * 4294967296) | 0
    // warm the generator up (sfc32 discards its first outputs), then fill the first block
    fillZiggurat(this.st, this.buf)
    fillZiggurat(this.st, this.buf)
  }

  refill(): void {
    fillZiggurat(this.st, this.buf)
    this.pos = 0
  }
}

// Ziggurat tables, 128 layers (Marsaglia & Tsang, J. Stat. Softw. 5 (2000) 8, zigset): a draw takes a signed
// int32 j, layer i = j & 127, and returns j·w[i] when |j| < k[i] (≈ 99 % of draws), else the wedge/tail path.
const ZR = 3.442619855899
const KN = new Float64Array(128), WN = new Float64Array(128), FN = new Float64Array(128)
{
  const m1 = 2147483648, vn = 9.91256303526217e-3
  let dn = ZR, tn = dn
  const q = vn / Math.exp(-0.5 * dn * dn)
  KN[0] = (dn / q) * m1; KN[1] = 0
  WN[0] = q / m1; WN[127] = dn / m1
  FN[0] = 1; FN[127] = Math.exp(-0.5 * dn * dn)
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)))
    KN[i + 1] = (dn / tn) * m1
    tn = dn
    FN[i] = Math.exp(-0.5 * dn * dn)
    WN[i] = dn / m1
  }
}

/** Fill buf with standard normals by the ziggurat, advancing the sfc32 state st. */
function fillZiggurat(st: Int32Array, buf: Float64Array): void {
  let a = st[0] | 0, b = st[1] | 0, c = st[2] | 0, d = st[3] | 0
  const n = buf.length
  for (let i = 0; i < n; i++) {
    let j = (a + b + d) | 0
    d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + j) | 0
    let k = j & 127
    if (Math.abs(j) < KN[k]) { buf[i] = j * WN[k]; continue }
    // slow path: wedges and tail
    for (;;) {
      const x = j * WN[k]
      let u = (a + b + d) | 0
      d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + u) | 0
      const u1 = ((u >>> 0) + 0.5) * 2.3283064365386963e-10 // (0, 1)
      if (k === 0) {
        // tail beyond ZR (Marsaglia 1964)
        let tx: number, ty: number
        let u2 = u1
        do {
          u = (a + b + d) | 0
          d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + u) | 0
          const u3 = ((u >>> 0) + 0.5) * 2.3283064365386963e-10
          tx = -Math.log(u2) / ZR
          ty = -Math.log(u3)
          u = (a + b + d) | 0
          d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + u) | 0
          u2 = ((u >>> 0) + 0.5) * 2.3283064365386963e-10
        } while (ty + ty < tx * tx)
        buf[i] = j > 0 ? ZR + tx : -ZR - tx
        break
      }
      if (FN[k] + u1 * (FN[k - 1] - FN[k]) < Math.exp(-0.5 * x * x)) { buf[i] = x; break }
      j = (a + b + d) | 0
      d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + j) | 0
      k = j & 127
      if (Math.abs(j) < KN[k]) { buf[i] = j * WN[k]; break }
    }
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d
}
