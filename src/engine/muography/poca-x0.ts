// The simple baseline: give each muon's whole scattering to the voxel that holds its PoCA and invert Highland
// per voxel (as TomOpt's AbsX0Inferrer does, but with the log term solved iteratively; docs/physics-inference.md).
// It is biased (all scattering of a muon lands in one voxel); the ML/EM estimator in em.ts is the calibrated one.
import type { VoxelVolume } from './types'
import { HIGHLAND_LOG } from '../core/units'

export interface PocaInput {
  n: number
  /** PoCA positions, 3 floats per muon */
  poca: ArrayLike<number>
  m: ArrayLike<number>
  e: ArrayLike<number>
  w: ArrayLike<number>
  c: ArrayLike<number>
  /** cos of the mean inclination of the muon */
  cosTheta: ArrayLike<number>
}

export function pocaX0(vol: VoxelVolume, inp: PocaInput): Float64Array {
  const V = vol.nx * vol.ny * vol.nz
  const sw = new Float64Array(V)
  const sm = new Float64Array(V)
  const sl = new Float64Array(V)
  const h = vol.voxel
  for (let i = 0; i < inp.n; i++) {
    const w = inp.w[i]
    if (!(w > 0)) continue
    const ix = Math.floor((inp.poca[3 * i] - vol.origin[0]) / h)
    const iy = Math.floor((inp.poca[3 * i + 1] - vol.origin[1]) / h)
    const iz = Math.floor((inp.poca[3 * i + 2] - vol.origin[2]) / h)
    if (ix < 0 || iy < 0 || iz < 0 || ix >= vol.nx || iy >= vol.ny || iz >= vol.nz) continue
    const j = ix + vol.nx * (iy + vol.ny * iz)
    sw[j] += w
    sm[j] += (w * Math.max(0, inp.m[i] - inp.e[i])) / inp.c[i]
    sl[j] += (w * h) / Math.max(0.2, inp.cosTheta[i])
  }
  const x0 = new Float64Array(V).fill(NaN)
  for (let j = 0; j < V; j++) {
    if (!(sw[j] > 0) || !(sm[j] > 0)) continue
    const theta2 = sm[j] / sw[j] // θ0² at p where c = 1
    const L = sl[j] / sw[j]
    let X = L / theta2
    for (let it = 0; it < 20; it++) {
      const f = 1 + HIGHLAND_LOG * Math.log(Math.max(1e-9, L / X))
      X = (L * f * f) / theta2
    }
    x0[j] = X
  }
  return x0
}
