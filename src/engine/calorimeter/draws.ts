// Random numbers for a batch of showers, all standard normals from one seeded stream (reparameterisation: the
// model turns them into (T, α), sampling fluctuations and noise, so gradients flow through the transforms).
import { createRng } from '../core/rng'

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

/** Draws for nE = seeds.length energies × S showers; energy row e uses its own stream createRng(seeds[e], stream),
 *  so chunks and counts stay reproducible. */
export function drawShowers(seeds: readonly number[], stream: string, S: number, L: number, noise: boolean): ShowerDraws {
  const nE = seeds.length
  const z1 = new Float32Array(nE * S), z2 = new Float32Array(nE * S), zs = new Float32Array(nE * S * L)
  const zn = noise ? new Float32Array(nE * S * L) : null
  const zl = new Float32Array(nE * S), ux = new Float32Array(nE * S), uy = new Float32Array(nE * S)
  for (let e = 0; e < nE; e++) {
    const rng = createRng(seeds[e], stream)
    rng.fillNormal(z1.subarray(e * S, (e + 1) * S))
    rng.fillNormal(z2.subarray(e * S, (e + 1) * S))
    rng.fillNormal(zs.subarray(e * S * L, (e + 1) * S * L))
    if (zn) rng.fillNormal(zn.subarray(e * S * L, (e + 1) * S * L))
    // drawn last, so that the earlier draws of a seed are those from before these were added
    rng.fillNormal(zl.subarray(e * S, (e + 1) * S))
    rng.fillUniform(ux.subarray(e * S, (e + 1) * S))
    rng.fillUniform(uy.subarray(e * S, (e + 1) * S))
  }
  return { nE, S, L, z1, z2, zs, zn, zl, ux, uy }
}
