// Expected precision of each voxel's scattering density (the Fisher-information task term; docs/physics-inference.md).
// Under the exponential model of em.ts, one muon with mean s_i = c_i g(t_i) + e_i carries Fisher information
// (∂s_i/∂λ_j)²/s_i² about λ_j, weighted by its detection probability w_i, with ∂s_i/∂λ_j = c_i g'(t_i) L_ij +
// g(t_i) ∂c_i/∂λ_j: with energy loss, a denser voxel also slows the muon (momentum-model.ts), and the EM's likelihood,
// which follows c from λ, draws on that too (leaving it out overstated the estimate's variance by a fifth). The
// diagonal of the information matrix gives the predicted variance 1/I_jj of λ̂_j (the Cramér–Rao bound when
// voxels decouple; an optimistic one when many muons share two voxels). Smooth in the panel parameters through
// w (acceptance × efficiency) and e (angular resolution), and free of the sampling noise of a reconstruction.
import { gather1d, scatterAdd1d, tf } from '../core/tensor'
import { highlandG, highlandGPrime } from './highland'
import type { PathMatrix } from './paths'
import { pathInX0, type PathTensors } from './path-tensors'

export interface FisherConstants {
  /** c_i g(t_i) with t from the true densities */
  cg: tf.Tensor1D
  /** (∂(c_i g(t_i))/∂λ_j)² per path entry */
  ds2: tf.Tensor1D
  /** true λ_j² per voxel */
  lambda2: tf.Tensor1D
}

/**
 * `m`: the momentum model along the true paths under the true densities (pathMomentum): c per muon and, with energy
 * loss, ∂c/∂λ_j per path entry (without it, c does not depend on λ); for an unknown momentum, κ per muon, the share
 * of one exponential's information that its mixture likelihood carries (mixture-information.ts).
 */
export function fisherConstants(
  p: PathMatrix, lambdaTrue: ArrayLike<number>, m: { c: ArrayLike<number>; dc?: ArrayLike<number>; kappa?: ArrayLike<number> },
): FisherConstants {
  const t = pathInX0(p, lambdaTrue)
  const g = new Float64Array(p.nMuons), cgp = new Float64Array(p.nMuons), cg = new Float32Array(p.nMuons)
  for (let i = 0; i < p.nMuons; i++) {
    if (!(t[i] > 0)) continue
    g[i] = highlandG(t[i])
    cg[i] = m.c[i] * g[i]
    cgp[i] = m.c[i] * highlandGPrime(t[i])
  }
  const ds2 = new Float32Array(p.nnz), dc = m.dc, kappa = m.kappa
  for (let k = 0; k < p.nnz; k++) {
    const i = p.muon[k]
    const ds = cgp[i] * p.length[k] + (dc ? g[i] * dc[k] : 0)
    ds2[k] = ds * ds * (kappa ? kappa[i] : 1)
  }
  const lam2 = Float32Array.from(lambdaTrue as ArrayLike<number>, (l) => l * l)
  return { cg: tf.tensor1d(cg), ds2: tf.tensor1d(ds2), lambda2: tf.tensor1d(lam2) }
}

export function disposeFisherConstants(f: FisherConstants): void {
  tf.dispose([f.cg, f.ds2, f.lambda2])
}

/** Information I_jj per voxel (tensor [V]), from the per-muon detection weight w and angular variance e. */
export function fisherInformation(P: PathTensors, k: FisherConstants, w: tf.Tensor1D, e: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const s = tf.add(k.cg, e)
    const q = tf.div(w, tf.add(tf.square(s), 1e-30)) as tf.Tensor1D
    const perEntry = tf.mul(gather1d(q, P.muon), k.ds2) as tf.Tensor1D
    return scatterAdd1d(perEntry, P.voxel, P.nVoxels)
  })
}

/**
 * Predicted relative variance of each voxel's λ̂, 1/(I_jj λ_j² + 1): the +1 is one muon's worth of prior
 * information so that an unseen voxel costs 1 (100 %) instead of infinity. Returns the mean over voxels.
 * `extra`: information from another, independent term (the absorption term, absorption-fisher.ts), added to I_jj.
 */
export function fisherLoss(P: PathTensors, k: FisherConstants, w: tf.Tensor1D, e: tf.Tensor1D, extra?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const scattering = fisherInformation(P, k, w, e)
    const info = extra ? tf.add(scattering, extra) : scattering
    return tf.mean(tf.reciprocal(tf.add(tf.mul(info, k.lambda2), 1))) as tf.Scalar
  })
}
