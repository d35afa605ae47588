// Random numbers for a batch of showers, all standard normals from seeded streams (reparameterisation: the
// model turns them into (T, α), sampling fluctuations and noise, so gradients flow through the transforms). They are
// drawn in blocks of SHOWER_BLOCK showers of one energy row, each block from its own stream, on the kernel threads
// (parallel/blocks.ts): the numbers do not depend on the thread count.
import { createRng } from '../core/rng'
import { blockCount, blockSeed, outFloat32, runBlocks } from '../parallel/blocks'

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
}

interface DrawJob { draws: ShowerDraws; seeds: readonly number[]; stream: string; perRow: number }

/** showers [k·SHOWER_BLOCK, (k + 1)·SHOWER_BLOCK) of energy row e, for block b = e·perRow + k */
export function showerBlock(job: DrawJob, b: number): void {
  const { S, L, z1, z2, zs, zn, zl, ux, uy } = job.draws
  const e = Math.floor(b / job.perRow), k = b - e * job.perRow
  const s0 = e * S + k * SHOWER_BLOCK, s1 = e * S + Math.min(S, (k + 1) * SHOWER_BLOCK)
  const rng = createRng(blockSeed(job.seeds[e], k), job.stream)
  rng.fillNormal(z1.subarray(s0, s1))
  rng.fillNormal(z2.subarray(s0, s1))
  rng.fillNormal(zs.subarray(s0 * L, s1 * L))
  if (zn) rng.fillNormal(zn.subarray(s0 * L, s1 * L))
  rng.fillNormal(zl.subarray(s0, s1))
  rng.fillUniform(ux.subarray(s0, s1))
  rng.fillUniform(uy.subarray(s0, s1))
}

/** Draws for nE = seeds.length energies × S showers; energy row e uses streams derived from seeds[e] and stream,
 *  so chunks and counts stay reproducible. */
export function drawShowers(seeds: readonly number[], stream: string, S: number, L: number, noise: boolean): ShowerDraws {
  const nE = seeds.length
  const draws: ShowerDraws = {
    nE, S, L, z1: outFloat32(nE * S), z2: outFloat32(nE * S), zs: outFloat32(nE * S * L), zn: noise ? outFloat32(nE * S * L) : null, zl: outFloat32(nE * S),
    ux: outFloat32(nE * S), uy: outFloat32(nE * S),
  }
  const perRow = blockCount(S, SHOWER_BLOCK)
  runBlocks('showers', showerBlock, { draws, seeds, stream, perRow }, nE * perRow)
  return draws
}
