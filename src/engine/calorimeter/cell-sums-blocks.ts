// The loops of the fused profile integral (cell-sums.ts) over blocks of showers, for the kernel threads
// (parallel/blocks.ts): y[e, s, l] = Σ_k exp(a[e, s, ·] · b[e, ·, l·K + k]) and its gradient. The coefficients are
// padded to CELL_SUMS_WIDTH columns (zeros), so that the dot product is written out: a loop over a variable width
// ran the integral at half the speed. A block covers rows of one beam energy only, and reads that energy's grid
// from a plain array: once any ArrayBuffer has been detached (the wasm heap's growth detaches its old one), V8
// checks for detachment on every typed-array read, which cost the loops 15 %.
import { fastExp } from '../core/fast-exp'

/** coefficients per grid point in the loops (the profile's ln t, t, 1, ln w + base, slope, perOffset2, or fewer) */
export const CELL_SUMS_WIDTH = 6
/** showers per block */
export const CELL_SUMS_BLOCK = 512

export interface CellSumsShape {
  /** beam energies, showers per energy, cells, grid points per cell */
  nE: number
  S: number
  L: number
  K: number
}

export interface CellSumsJob extends CellSumsShape {
  /** [nE·S, 6]: each shower's coefficients */
  a: Float32Array
  /** [nE, G, 6] (G = L·K): each energy's grid columns, transposed so that a point's six values are adjacent */
  bt: Float64Array
  /** out: [nE·S, L] the sums; [nE·S, G] the exponentials, which the gradient reuses */
  y: Float32Array
  f: Float32Array
}

export interface CellSumsGradJob extends CellSumsShape {
  a: Float32Array
  bt: Float64Array
  f: Float32Array
  /** [nE·S, L]: the loss's gradient with respect to y */
  dy: Float32Array
  /** out: [nE·S, 6] the gradient with respect to a; [blocks, G, 6] each block's part of the gradient with respect to b */
  da: Float32Array
  dbParts: Float64Array
}

export function cellSumsBlocks(s: CellSumsShape): number {
  return s.nE * Math.ceil(s.S / CELL_SUMS_BLOCK)
}

/** the block's energy and its range of rows (e·S + s) */
function blockRows(s: CellSumsShape, block: number): { e: number; r0: number; r1: number } {
  const perEnergy = Math.ceil(s.S / CELL_SUMS_BLOCK)
  const e = Math.floor(block / perEnergy)
  const first = (block - e * perEnergy) * CELL_SUMS_BLOCK
  return { e, r0: e * s.S + first, r1: e * s.S + Math.min(s.S, first + CELL_SUMS_BLOCK) }
}

export function cellSumsBlock(job: CellSumsJob, block: number): void {
  const { L, K, a, bt, y, f } = job
  const G = L * K
  const { e, r0, r1 } = blockRows(job, block)
  const b = Array.from(bt.subarray(e * G * 6, (e + 1) * G * 6))
  for (let r = r0; r < r1; r++) {
    const o = r * 6
    const a0 = a[o], a1 = a[o + 1], a2 = a[o + 2], a3 = a[o + 3], a4 = a[o + 4], a5 = a[o + 5]
    let g = 0, q = 0
    for (let l = 0; l < L; l++) {
      let sum = 0
      for (let k = 0; k < K; k++, g++, q += 6) {
        const v = fastExp(a0 * b[q] + a1 * b[q + 1] + a2 * b[q + 2] + a3 * b[q + 3] + a4 * b[q + 4] + a5 * b[q + 5])
        f[r * G + g] = v
        sum += v
      }
      y[r * L + l] = sum
    }
  }
}

export function cellSumsGradBlock(job: CellSumsGradJob, block: number): void {
  const { L, K, a, bt, f, dy, da, dbParts } = job
  const G = L * K
  const { e, r0, r1 } = blockRows(job, block)
  const b = Array.from(bt.subarray(e * G * 6, (e + 1) * G * 6))
  const db = new Array<number>(G * 6).fill(0)
  for (let r = r0; r < r1; r++) {
    const o = r * 6
    const a0 = a[o], a1 = a[o + 1], a2 = a[o + 2], a3 = a[o + 3], a4 = a[o + 4], a5 = a[o + 5]
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0
    let g = 0, q = 0
    for (let l = 0; l < L; l++) {
      const w = dy[r * L + l]
      for (let k = 0; k < K; k++, g++, q += 6) {
        const v = w * f[r * G + g]
        d0 += v * b[q]; d1 += v * b[q + 1]; d2 += v * b[q + 2]; d3 += v * b[q + 3]; d4 += v * b[q + 4]; d5 += v * b[q + 5]
        db[q] += v * a0; db[q + 1] += v * a1; db[q + 2] += v * a2; db[q + 3] += v * a3; db[q + 4] += v * a4; db[q + 5] += v * a5
      }
    }
    da[o] = d0; da[o + 1] = d1; da[o + 2] = d2; da[o + 3] = d3; da[o + 4] = d4; da[o + 5] = d5
  }
  // written whole, never added to: a block that runs twice (parallel/blocks.ts) writes the same numbers
  dbParts.set(db, block * G * 6)
}
