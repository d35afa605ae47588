// Philox4×32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as
// 1, 2, 3" (SC11): four 32-bit words from (counter, key) with no state, so muon i's numbers are a function of
// (seed, stream, i) alone, the same on any thread and on the GPU (gpu/philox-wgsl.ts is this file in WGSL). The
// conversions below use only float32-exact steps (24-bit uniforms), so both sides start from identical floats.
import { hashString } from './rng'

/** Philox4×32-10 of counter (c0..c3) under key (k0, k1), uint32 (int32 accepted), written to out[0..3] */
export function philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  // The constants are locals: a bundler turns module constants into mutable bindings, and V8 then loads the two
  // multipliers (above 2³¹, so not small integers) as boxed numbers on every round, at half the speed.
  const M0 = 0xd2511f53 | 0, M1 = 0xcd9e8d57 | 0
  const W0 = 0x9e3779b9 | 0, W1 = 0xbb67ae85 | 0
  // the multipliers in 16-bit halves: high words of 32×32 products from four 16×16 products (V8 keeps these small)
  const M0L = 0x1f53, M0H = 0xd251, M1L = 0x8d57, M1H = 0xcd9e
  c0 |= 0; c1 |= 0; c2 |= 0; c3 |= 0; k0 |= 0; k1 |= 0
  for (let r = 0; r < 10; r++) {
    let a0 = c0 & 0xffff, a1 = c0 >>> 16
    let mid = ((M0L * a0) >>> 16) + ((M0H * a0) & 0xffff) + ((M0L * a1) & 0xffff)
    const hi0 = (M0H * a1 + ((M0H * a0) >>> 16) + ((M0L * a1) >>> 16) + (mid >>> 16)) | 0
    const lo0 = Math.imul(M0, c0)
    a0 = c2 & 0xffff; a1 = c2 >>> 16
    mid = ((M1L * a0) >>> 16) + ((M1H * a0) & 0xffff) + ((M1L * a1) & 0xffff)
    const hi1 = (M1H * a1 + ((M1H * a0) >>> 16) + ((M1L * a1) >>> 16) + (mid >>> 16)) | 0
    const lo1 = Math.imul(M1, c2)
    c0 = hi1 ^ c1 ^ k0
    c1 = lo1
    c2 = hi0 ^ c3 ^ k1
    c3 = lo0
    k0 = (k0 + W0) | 0
    k1 = (k1 + W1) | 0
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3
}

/** the key of a named stream of a seed: (seed, FNV-1a of the name), as createRng names its streams */
export function philoxKey(seed: number, stream: string): [number, number] {
  return [Math.floor(seed) >>> 0, hashString(stream)]
}

/** uniform in [0, 1) from the word's top 24 bits (exact in float32) */
export function uniform24(w: number): number {
  return (w >>> 8) * (1 / 16777216)
}

/**
 * Box–Muller on two words: radius from u ∈ (0, 1], angle π(2v − 1) ∈ [−π, π) (the range where WGSL's sin and cos
 * are specified). Writes the pair to out[i] and out[i + 1] (r cos, r sin).
 */
export function normalPair(w0: number, w1: number, out: Float32Array | Float64Array, i: number): void {
  const r = Math.sqrt(-2 * Math.log(1 - uniform24(w0)))
  const a = Math.PI * (2 * uniform24(w1) - 1)
  out[i] = r * Math.cos(a)
  out[i + 1] = r * Math.sin(a)
}
