// The profile integral of cellFractions (profile.ts) as one operation: y[e, s, l] = Σ_k exp(a[e, s, ·] · b[e, ·, l·K + k]),
// each beam energy's showers' coefficients a [S, J] against its grid columns b [J, L·K], summed over each cell's K
// points. Composed of tfjs ops it is a product, the [S, L·K] exponentials, a sum and, for the gradient, their
// products and transposes, which the wasm backend runs on one thread whatever the kernel threads: about half of the
// calorimeter step's tfjs time. On wasm the value and the gradient are loops over blocks of showers on the kernel
// threads instead (cell-sums-blocks.ts), in float64, reading the inputs where they lie in the backend's heap (as
// the kernels of core/wasm-*.ts do). Every other backend runs the composition (the same function within float32
// rounding).
import * as tf from '@tensorflow/tfjs'
import { matMul2d } from '../core/matmul-2d'
import type { WasmBackend } from '../core/wasm-kernel'
import { outFloat32, outFloat64, runBlocks } from '../parallel/blocks'
import {
  CELL_SUMS_WIDTH as W, cellSumsBlock, cellSumsBlocks, cellSumsGradBlock, type CellSumsGradJob, type CellSumsJob, type CellSumsShape,
} from './cell-sums-blocks'

interface Shape extends CellSumsShape { J: number; G: number }

/** the columns of a in rows of W (zeros beyond J), and the rows of b transposed to [nE, G, W], where the block
 *  loops read them */
function packInputs(as: ArrayLike<number>[], bs: ArrayLike<number>[], s: Shape): { a: Float32Array; bt: Float64Array } {
  const { nE, S, J, G } = s
  const a = outFloat32(nE * S * W), bt = outFloat64(nE * G * W)
  for (let j = 0; j < J; j++) {
    const col = as[j], row = bs[j]
    for (let r = 0; r < nE * S; r++) a[r * W + j] = col[r]
    for (let q = 0; q < nE * G; q++) bt[q * W + j] = row[q]
  }
  return { a, bt }
}

/** the gradients from the blocks' outputs: per column of a [nE, S], and per row of b [nE, G] summed over each
 *  energy's blocks in block order (the same numbers on any number of threads) */
function gradients(job: CellSumsGradJob, s: Shape, blocks: number): tf.Tensor2D[] {
  const { nE, S, J, G } = s
  const perEnergy = blocks / nE
  const da = Array.from({ length: J }, (_, j) => {
    const out = new Float32Array(nE * S)
    for (let r = 0; r < nE * S; r++) out[r] = job.da[r * W + j]
    return out
  })
  const db = Array.from({ length: J }, (_, j) => {
    const out = new Float32Array(nE * G)
    for (let e = 0; e < nE; e++) {
      for (let g = 0; g < G; g++) {
        let sum = 0
        for (let k = e * perEnergy; k < (e + 1) * perEnergy; k++) sum += job.dbParts[(k * G + g) * W + j]
        out[e * G + g] = sum
      }
    }
    return out
  })
  return [...da.map((v) => tf.tensor2d(v, [nE, S])), ...db.map((v) => tf.tensor2d(v, [nE, G]))]
}

/** the sums on the wasm backend, read from its heap; the exponentials stay with the gradient function, in the
 *  memory the blocks share */
function onWasmHeap(a: tf.Tensor2D[], b: tf.Tensor2D[], K: number): tf.Tensor3D {
  const J = a.length, [nE, S] = a[0].shape, G = b[0].shape[1]
  const s: Shape = { nE, S, J, G, L: G / K, K }
  const blocks = cellSumsBlocks(s)
  const op = tf.customGrad(((...inputs: tf.Tensor[]) => {
    const heap = tf.backend() as unknown as WasmBackend
    const views = inputs.slice(0, 2 * J).map((t) => heap.typedArrayFromHeap(t))
    const packed = packInputs(views.slice(0, J), views.slice(J), s)
    const job: CellSumsJob = { ...s, ...packed, y: outFloat32(nE * S * s.L), f: outFloat32(nE * S * G) }
    runBlocks('cell-sums', cellSumsBlock, job, blocks)
    return {
      value: tf.tensor3d(job.y, [nE, S, s.L]),
      gradFunc: (dy: tf.Tensor3D) => {
        const g: CellSumsGradJob = {
          ...s, ...packed, f: job.f, dy: outFloat32(dy.size), da: outFloat32(nE * S * W), dbParts: outFloat64(blocks * G * W),
        }
        g.dy.set(heap.typedArrayFromHeap(dy))
        runBlocks('cell-sums-grad', cellSumsGradBlock, g, blocks)
        return gradients(g, s, blocks)
      },
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0])
  return op(...a, ...b) as tf.Tensor3D
}

/** the same sums composed of tfjs ops: one 2-D product per energy (matMul2d), the cheapest form on most backends */
function composed(a: tf.Tensor2D[], b: tf.Tensor2D[], K: number): tf.Tensor3D {
  const [nE, S] = a[0].shape, L = b[0].shape[1] / K
  const as = tf.unstack(tf.stack(a, 2)) as tf.Tensor2D[], bs = tf.unstack(tf.stack(b, 1)) as tf.Tensor2D[]
  const out = as.map((ae, e) => matMul2d(ae, bs[e]).exp().reshape([S, L, K]).sum(2))
  return (nE === 1 ? out[0].expandDims(0) : tf.stack(out)) as tf.Tensor3D
}

/**
 * y [nE, S, L] = Σ over each cell's K grid points of exp(Σ_j a_j ⊗ b_j), per beam energy: the coefficients a_j
 * [nE, S] and the grid's columns b_j [nE, L·K], j < J ≤ 6. Differentiable with respect to all of them.
 */
export function expCellSums(a: tf.Tensor2D[], b: tf.Tensor2D[], K: number): tf.Tensor3D {
  const J = a.length
  const [nE, S] = a[0]?.shape ?? [], G = b[0]?.shape[1]
  const fits = J > 0 && J <= W && b.length === J && G % K === 0
    && a.every((t) => t.shape[0] === nE && t.shape[1] === S) && b.every((t) => t.shape[0] === nE && t.shape[1] === G)
  if (!fits) {
    throw new Error(`expCellSums: coefficients [${a.map((t) => `[${t.shape}]`)}] and grid rows [${b.map((t) => `[${t.shape}]`)}] with ${K} points per cell do not fit`)
  }
  return tf.getBackend() === 'wasm' ? onWasmHeap(a, b, K) : composed(a, b, K)
}
