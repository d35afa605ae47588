// Seeded random streams. sfc32 (Chris Doty-Humphrey's Small Fast Counter, PractRand-clean) seeded through
// splitmix32 from (seed, stream name), so each stream (design init, muon sampling, volume sampling, validation
// set, ...) is independent and one seed reproduces a whole run.

export type StreamName = 'design' | 'muons' | 'volume' | 'validation' | 'noise' | 'showers' | string

export interface Rng {
  /** uniform in [0, 1) */
  uniform(): number
  /** standard normal */
  normal(): number
  fillUniform(out: Float32Array | Float64Array): void
  fillNormal(out: Float32Array | Float64Array): void
  /** integer in [0, n) */
  int(n: number): number
}

/** FNV-1a of a stream name */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0
    let t = a ^ (a >>> 16)
    t = Math.imul(t, 0x21f0aaad)
    t ^= t >>> 15
    t = Math.imul(t, 0x735a2d97)
    t ^= t >>> 15
    return t >>> 0
  }
}

export function createRng(seed: number, stream: StreamName = 'default'): Rng {
  const sm = splitmix32((Math.floor(seed) ^ hashString(stream)) >>> 0)
  let a = sm(), b = sm(), c = sm(), d = sm()
  const next = (): number => {
    a |= 0; b |= 0; c |= 0; d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) next()
  const uniform = () => next() / 4294967296
  let spare = NaN
  const normal = () => {
    if (!Number.isNaN(spare)) {
      const s = spare
      spare = NaN
      return s
    }
    // Box–Muller; u1 in (0, 1] avoids log(0)
    const u1 = 1 - uniform()
    const u2 = uniform()
    const r = Math.sqrt(-2 * Math.log(u1))
    spare = r * Math.sin(2 * Math.PI * u2)
    return r * Math.cos(2 * Math.PI * u2)
  }
  return {
    uniform,
    normal,
    fillUniform(out) { for (let i = 0; i < out.length; i++) out[i] = uniform() },
    fillNormal(out) { for (let i = 0; i < out.length; i++) out[i] = normal() },
    int(n) { return Math.floor(uniform() * n) },
  }
}

/** Derive a sub-seed, e.g. per optimisation step: deriveSeed(seed, step). */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  let h = (Math.floor(seed) >>> 0) ^ 0x9e3779b9
  for (const p of parts) {
    h = Math.imul(h ^ hashString(String(p)), 0x85ebca6b) >>> 0
    h ^= h >>> 13
  }
  return h >>> 0
}
