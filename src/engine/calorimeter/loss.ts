// Loss parts of the calorimeter objective, each reported separately:
//   resolution  mean over the beam energies of σ/⟨Ê⟩ (or, with loss 'resolution_fit', of the fitted curve
//               a/√E ⊕ b/E ⊕ c at the beam energies, which averages out point-to-point noise);
//   linearity   mean over the beam energies of (⟨Ê⟩/E − 1)²  (bias of the learned calibration);
//   cost        absorber mass × price per kg + active area × price per m² per layer, relative to a reference;
//   depth       a smooth one-sided penalty against constraints.max_depth (and 'budget' against the budget).
import { tf } from '../core/tensor'

/** per-energy mean and standard deviation of the reconstructed energy Ê [nE, S] */
export function energyStats(reco: tf.Tensor2D): { mean: tf.Tensor1D; std: tf.Tensor1D } {
  const mean = reco.mean(1) as tf.Tensor1D
  const std = reco.sub(mean.expandDims(1)).square().mean(1).add(1e-12).sqrt() as tf.Tensor1D
  return { mean, std }
}

export function linearityTerm(mean: tf.Tensor1D, energies: number[]): tf.Scalar {
  return mean.div(tf.tensor1d(energies)).sub(1).square().mean() as tf.Scalar
}

/** mean over energies of σ/⟨Ê⟩ */
export function resolutionTerm(mean: tf.Tensor1D, std: tf.Tensor1D): tf.Scalar {
  return std.div(tf.maximum(mean, 1e-6)).mean() as tf.Scalar
}

/** 3×3 linear solve by Cramer's rule on tensors, element by element (scalars, or one system per entry of [n]) */
export function solve3<T extends tf.Tensor>(M: T[][], r: T[]): T[] {
  const det = (m: T[][]) =>
    m[0][0].mul(m[1][1].mul(m[2][2]).sub(m[1][2].mul(m[2][1])))
      .sub(m[0][1].mul(m[1][0].mul(m[2][2]).sub(m[1][2].mul(m[2][0]))))
      .add(m[0][2].mul(m[1][0].mul(m[2][1]).sub(m[1][1].mul(m[2][0])))) as T
  const d = det(M)
  return [0, 1, 2].map((k) => det(M.map((row, i) => row.map((v, j) => (j === k ? r[i] : v)))).div(d) as T)
}

/** mean over energies of the fitted σ/E (weighted least squares of (σ/E)² on 1/E, 1/E², 1) */
export function fittedResolutionTerm(mean: tf.Tensor1D, std: tf.Tensor1D, energies: number[]): tf.Scalar {
  if (energies.length < 3) return resolutionTerm(mean, std)
  const s2 = std.div(tf.maximum(mean, 1e-6)).square() as tf.Tensor1D
  const w = s2.square().reciprocal()
  const cols = [energies.map((e) => 1 / e), energies.map((e) => 1 / (e * e)), energies.map(() => 1)].map((c) => tf.tensor1d(c))
  const M = cols.map((ci) => cols.map((cj) => w.mul(ci).mul(cj).sum() as tf.Scalar))
  const r = cols.map((ci) => w.mul(ci).mul(s2).sum() as tf.Scalar)
  const th = solve3(M, r)
  const pred = cols[0].mul(th[0]).add(cols[1].mul(th[1])).add(cols[2].mul(th[2]))
  return tf.maximum(pred, 1e-8).sqrt().mean() as tf.Scalar
}

/** smooth one-sided penalty: (softplus(k (x/limit − 1))/k)², ≈ 0 well below the limit, quadratic above */
export function smoothExcess(x: tf.Scalar, limit: number, sharpness = 50): tf.Scalar {
  return x.div(limit).sub(1).mul(sharpness).softplus().div(sharpness).square() as tf.Scalar
}
