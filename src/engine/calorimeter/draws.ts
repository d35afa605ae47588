// Random numbers for a batch of showers, all standard normals from seeded streams (reparameterisation: the
// model turns them into (T, α), sampling fluctuations and noise, so gradients flow through the transforms). Shower s
// of energy row e draws from Philox keyed by (seeds[e], stream) at counters that start with s, so its numbers are the
// same on any number of kernel threads (blocks of SHOWER_BLOCK showers, parallel/blocks.ts) and on the GPU
// (gpu/showers.ts runs showerDraw's layout as a WGSL kernel).
import { normalPair, philox, philoxKey, uniform24 } from '../core/philox'
import { blockCount, outFloat32, startBlocks } from '../parallel/blocks'
import type { ShowerBuffers } from '../gpu/showers'

export const SHOWER_BLOCK = 2048

export interface ShowerDraws {
  nE: number
  S: number
  L: number
  /** correlated (ln T, ln α) drivers, [nE·S] each */
  z1: Float32Array
  z2: Float32Array
  /** per-layer sampling fluctuation, [nE·S·L] */
  zs: Float32Array
  /** per-layer electronic noise, [nE·S·L], or null without noise */
  zn: Float32Array | null
  /** lateral-containment fluctuation (GFLASH spot statistics), [nE·S] */
  zl: Float32Array
  /** impact point in the beam spot, uniform in [0, 1) along x and y, [nE·S] each */
  ux: Float32Array
  uy: Float32Array
  /** made on the GPU (gpu/showers.ts): the same numbers in its buffers, and the arrays above are empty */
  gpu?: ShowerBuffers
}

interface DrawJob { draws: ShowerDraws; seeds: readonly number[]; stream: string; perRow: number }

/**
 * The numbers of shower s of a row under key (k0, k1), written at index i (layers at i·L): counter (s, 0, 0, 0) gives
 * the (z1, z2) pair and the spot (ux, uy), (s, 1, 0, 0) zl, and (s, 2, l, 0) layer l's (zs, zn) pair.
 */
function showerDraw(d: ShowerDraws, s: number, i: number, k0: number, k1: number, w: Uint32Array, pair: Float64Array): void {
  philox(s, 0, 0, 0, k0, k1, w)
  normalPair(w[0], w[1], pair, 0)
  d.z1[i] = pair[0]
  d.z2[i] = pair[1]
  d.ux[i] = uniform24(w[2])
  d.uy[i] = uniform24(w[3])
  philox(s, 1, 0, 0, k0, k1, w)
  normalPair(w[0], w[1], pair, 0)
  d.zl[i] = pair[0]
  const { L, zs, zn } = d
  for (let l = 0; l < L; l++) {
    philox(s, 2, l, 0, k0, k1, w)
    normalPair(w[0], w[1], pair, 0)
    zs[i * L + l] = pair[0]
    if (zn) zn[i * L + l] = pair[1]
  }
}

/** showers [k·SHOWER_BLOCK, (k + 1)·SHOWER_BLOCK) of energy row e, for block b = e·perRow + k */
export function showerBlock(job: DrawJob, b: number): void {
  const { S } = job.draws
  const e = Math.floor(b / job.perRow), k = b - e * job.perRow
  const [k0, k1] = philoxKey(job.seeds[e], job.stream)
  const w = new Uint32Array(4), pair = new Float64Array(2)
  for (let s = k * SHOWER_BLOCK; s < Math.min(S, (k + 1) * SHOWER_BLOCK); s++) showerDraw(job.draws, s, e * S + s, k0, k1, w, pair)
}

/** Draws for nE = seeds.length energies × S showers; energy row e uses streams derived from seeds[e] and stream,
 *  so chunks and counts stay reproducible. */
export function drawShowers(seeds: readonly number[], stream: string, S: number, L: number, noise: boolean): ShowerDraws {
  return startDrawShowers(seeds, stream, S, L, noise)()
}

/** drawShowers started on the kernel threads (parallel/blocks.ts startBlocks): the returned function joins */
export function startDrawShowers(seeds: readonly number[], stream: string, S: number, L: number, noise: boolean): () => ShowerDraws {
  const nE = seeds.length
  const draws: ShowerDraws = {
    nE, S, L, z1: outFloat32(nE * S), z2: outFloat32(nE * S), zs: outFloat32(nE * S * L), zn: noise ? outFloat32(nE * S * L) : null, zl: outFloat32(nE * S),
    ux: outFloat32(nE * S), uy: outFloat32(nE * S),
  }
  const perRow = blockCount(S, SHOWER_BLOCK)
  const run = startBlocks('showers', showerBlock, { draws, seeds, stream, perRow }, nE * perRow)
  return () => {
    run.join()
    return draws
  }
}
