// Detector cost and the budget term. Cost = Σ cost_per_m² · span_x · span_y (TomOpt's area model, PHYSICS.md §A5).
// Budget term after TomOpt (Strong et al., MLST 5 (2024) 035002): with d = κ (C − B)/B, κ = 10,
// 2σ(d) below budget and 1 + d/2 above it — continuous with a continuous slope at d = 0.
import { tf } from '../core/tensor'

export const BUDGET_KAPPA = 10

/** cost tensor from spans [P,2] and per-panel cost per m² [P] */
export function costTensor(span: tf.Tensor2D, costPerM2: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.prod(span, 1), costPerM2)) as tf.Scalar)
}

/** The branch is chosen from the cost's value (a comparison op on the tape would have no gradient). */
export function budgetTerm(cost: tf.Scalar, budget: number): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.mul(BUDGET_KAPPA / budget, tf.sub(cost, budget))
    return (cost.dataSync()[0] <= budget ? tf.mul(2, tf.sigmoid(d)) : tf.add(1, tf.div(d, 2))) as tf.Scalar
  })
}

export function budgetTermPlain(cost: number, budget: number): number {
  const d = (BUDGET_KAPPA * (cost - budget)) / budget
  return d <= 0 ? 2 / (1 + Math.exp(-d)) : 1 + d / 2
}
