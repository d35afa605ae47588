// The path matrix as tensors, for the differentiable losses. Paths themselves carry no gradient.
import { tf } from '../core/tensor'
import type { PathMatrix } from './paths'

export interface PathTensors {
  nMuons: number
  nVoxels: number
  muon: tf.Tensor1D
  voxel: tf.Tensor1D
  length: tf.Tensor1D
  /** 1 for voxels crossed by at least one path, else 0 (a constant: no comparison op on the tape) */
  covered: tf.Tensor1D
}

export function pathTensors(p: PathMatrix): PathTensors {
  return {
    nMuons: p.nMuons,
    nVoxels: p.nVoxels,
    muon: tf.tensor1d(p.muon, 'int32'),
    voxel: tf.tensor1d(p.voxel, 'int32'),
    length: tf.tensor1d(p.length, 'float32'),
    covered: tf.tensor1d(coverageMask(p)),
  }
}

export function disposePathTensors(p: PathTensors): void {
  tf.dispose([p.muon, p.voxel, p.length, p.covered])
}

function coverageMask(p: PathMatrix): Float32Array {
  const m = new Float32Array(p.nVoxels)
  for (let k = 0; k < p.nnz; k++) if (p.length[k] > 0) m[p.voxel[k]] = 1
  return m
}

/** Σ_i L_ij λ_j per muon: path in radiation lengths under the scattering densities λ (plain numbers). */
export function pathInX0(p: PathMatrix, lambda: ArrayLike<number>): Float64Array {
  const t = new Float64Array(p.nMuons)
  for (let k = 0; k < p.nnz; k++) t[p.muon[k]] += p.length[k] * lambda[p.voxel[k]]
  return t
}
