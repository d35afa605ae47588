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
