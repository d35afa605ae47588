// Expected precision of each voxel's scattering density (the Fisher-information task term; docs/physics-inference.md).
// The EM (em.ts) solves, for each voxel, Σ_i w_i ψ_ij = 0 with ψ_ij the score of muon i's exponential model
// (mean s_i = c_i g(t_i) + e_i) in λ_j at fixed c: c follows λ only at the EM's refreshes. The estimate's variance
// is the sandwich A_j/B_j² (Huber, Proc. Fifth Berkeley Symp. Math. Stat. Prob. 1 (1967) 221) with
//   A_j = Σ_i w_i (c_i g′(t_i) L_ij)²/s_i²             (the variance of the score), and
//   B_j = Σ_i w_i (c_i g′(t_i) L_ij) ∂s_i/∂λ_j / s_i²   (its slope), ∂s_i/∂λ_j = c_i g′ L_ij + g ∂c_i/∂λ_j:
// with energy loss a denser voxel also slows the muon (momentum-model.ts), and through the refreshes the EM draws
// on that too (leaving it out overstated the estimate's variance by a fifth). With one ∂c/∂λ ∝ c for all muons,
// B²/A is the Fisher information Σ_i w_i (∂s_i/∂λ_j)²/s_i². For an unknown momentum both terms carry the mixture
// likelihood's κ and its mean ∂s/∂λ (mixture-information.ts). Per voxel (the diagonal: the Cramér–Rao bound when
// voxels decouple; an optimistic one when many muons share two voxels). Smooth in the panel parameters through w
// (acceptance × efficiency) and e (angular resolution), and free of the sampling noise of a reconstruction.
import { gather1d, scatterAdd1d, tf } from '../core/tensor'
import { fisherArrays, type FisherMomentum } from './fisher-blocks'
import type { PathMatrix } from './paths'
import type { PathTensors } from './path-tensors'

export interface FisherConstants {
  /** c_i g(t_i) with t from the true densities */
  cg: tf.Tensor1D
  /** per path entry: κ (c_i g′ L_ij)² and κ (c_i g′ L_ij) ∂s_i/∂λ_j (κ = 1 for a known momentum) */
  a: tf.Tensor1D
  b: tf.Tensor1D
  /** true λ_j² per voxel */
  lambda2: tf.Tensor1D
}

/**
 * `m`: the momentum model along the true paths under the true densities (pathMomentum): c per muon and, with energy
 * loss, ∂c/∂λ_j per path entry (without it, c does not depend on λ); for an unknown momentum, the mixture's κ per
 * muon and its ∂s/∂λ_j per path entry, in place of c g′ L + g ∂c/∂λ (mixture-information.ts).
 */
export function fisherConstants(p: PathMatrix, lambdaTrue: ArrayLike<number>, m: FisherMomentum): FisherConstants {
  const { cg, a, b } = fisherArrays(p, lambdaTrue, m)
  const lam2 = Float32Array.from(lambdaTrue as ArrayLike<number>, (l) => l * l)
  return { cg: tf.tensor1d(cg), a: tf.tensor1d(a), b: tf.tensor1d(b), lambda2: tf.tensor1d(lam2) }
}

export function disposeFisherConstants(f: FisherConstants): void {
  tf.dispose([f.cg, f.a, f.b, f.lambda2])
}

/** Information I_jj = B_j²/A_j per voxel (tensor [V]), from the per-muon detection weight w and angular variance e. */
export function fisherInformation(P: PathTensors, k: FisherConstants, w: tf.Tensor1D, e: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const s = tf.add(k.cg, e)
    const q = gather1d(tf.div(w, tf.add(tf.square(s), 1e-30)) as tf.Tensor1D, P.muon)
    const A = scatterAdd1d(tf.mul(q, k.a) as tf.Tensor1D, P.voxel, P.nVoxels)
    const B = scatterAdd1d(tf.mul(q, k.b) as tf.Tensor1D, P.voxel, P.nVoxels)
    // a voxel no muon crosses has A = B = 0 and no information
    return tf.div(tf.square(B), tf.add(A, 1e-30)) as tf.Tensor1D
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
