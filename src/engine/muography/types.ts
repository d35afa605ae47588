// Data that flows through the muography pipeline. Plain typed arrays (structure of arrays), SI units, z up.
// Nothing here depends on tfjs, so the UI may import these types.
import type { MaterialName } from '../core/materials'

/** Muons at generation: a point on the generation plane, a unit direction pointing down (uz < 0), momentum. */
export interface MuonBatch {
  n: number
  x: Float32Array
  y: Float32Array
  z: Float32Array
  ux: Float32Array
  uy: Float32Array
  uz: Float32Array
  /** momentum in GeV/c */
  p: Float32Array
}

/** A voxelised passive volume. Voxel index = ix + nx·(iy + ny·iz), iz = 0 is the bottom layer. */
export interface VoxelVolume {
  origin: [number, number, number]
  size: [number, number, number]
  voxel: number
  nx: number
  ny: number
  nz: number
  /** material names used, indexed by `material` */
  palette: MaterialName[]
  /** per voxel: index into palette */
  material: Uint8Array
  /** per voxel: radiation length in metres */
  x0: Float64Array
}

/**
 * Muons after the passive volume: the straight line that entered and the straight line that left.
 * `in*` is the entry point on the volume boundary, `out*` the exit point; directions are unit vectors.
 * Muons that stop inside (range cut) have alive = 0 and pOut = 0, and must be ignored downstream (a muon dropped
 * for taking too many steps has alive = 0 and keeps its pOut).
 */
export interface MuonTracks {
  n: number
  p: Float32Array
  pOut: Float32Array
  xin: Float32Array; yin: Float32Array; zin: Float32Array
  uxin: Float32Array; uyin: Float32Array; uzin: Float32Array
  xout: Float32Array; yout: Float32Array; zout: Float32Array
  uxout: Float32Array; uyout: Float32Array; uzout: Float32Array
  alive: Uint8Array
}
