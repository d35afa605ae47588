// Detector cost and the budget term. Cost = Σ cost_per_m² · span_x · span_y (the area model of TomOpt, arXiv:2309.14027).
// Budget term: TomOpt (Strong et al., MLST 5 (2024) 035002) uses 2σ(d) below budget and 1 + d/2 above, with
// d = 10 (C − B)/B. Its slope just below the budget is as steep as above it, so a run keeps shrinking the panels
// far under the budget (measured on lead-in-beryllium with budget 4: cost 1.1 after 40 steps, task loss worse).
// We use a softplus barrier with the same slope above the budget, 5/B per unit cost, whose pull fades
// exponentially below it:  term = (5/κ) softplus(κ (C − B)/B), κ = 20.
import { tf } from '../core/tensor'

export const BUDGET_SHARPNESS = 20
export const BUDGET_SLOPE = 5

/** cost tensor from spans [P,2] and per-panel cost per m² [P] */
export function costTensor(span: tf.Tensor2D, costPerM2: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.prod(span, 1), costPerM2)) as tf.Scalar)
}

export function budgetTerm(cost: tf.Scalar, budget: number): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.mul(BUDGET_SHARPNESS / budget, tf.sub(cost, budget))
    return tf.mul(BUDGET_SLOPE / BUDGET_SHARPNESS, tf.softplus(d)) as tf.Scalar
  })
}

export function budgetTermPlain(cost: number, budget: number): number {
  const d = (BUDGET_SHARPNESS * (cost - budget)) / budget
  const softplus = d > 30 ? d : Math.log1p(Math.exp(d))
  return (BUDGET_SLOPE / BUDGET_SHARPNESS) * softplus
}
