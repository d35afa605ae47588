// The training objective: simulate a batch, reconstruct, and combine the loss parts (loss.ts) into one scalar.
import { tf } from '../core/tensor'
import type { ShowerDraws } from './draws'
import { leakageCorrectedOnTape } from './leakage-correction'
import { energyStats, fittedResolutionTerm, linearityTerm, resolutionTerm, smoothExcess } from './loss'
import type { CaloModel, ParamTensors, Simulated } from './model'

export interface ObjectiveConfig {
  loss: 'resolution' | 'resolution_fit'
  /** weight of the cost part (cost / costRef) */
  costWeight: number
  /** cost that counts as 1 in the cost part (the budget, or the initial design's cost) */
  costRef: number
  budget: number | null
  maxDepth: number | null
  depthWeight: number
  linearityWeight: number
  /** the rear cells (leakage-correction.ts rearCells) when the task is the resolution after the rear-leakage
   *  correction (optimizer.leakage_correction), else null */
  rear: Uint8Array | null
}

export const PART_NAMES = ['task', 'resolution', 'linearity', 'cost', 'depth', 'budget'] as const
export type PartName = (typeof PART_NAMES)[number]

export interface ObjectiveOut {
  total: tf.Scalar
  /** the parts in PART_NAMES order, [6] */
  parts: tf.Tensor1D
  /** per-energy mean and σ of Ê (after the rear-leakage correction when the config asks for it) */
  mean: tf.Tensor1D
  std: tf.Tensor1D
  sim: Simulated
}

export function objective(
  model: CaloModel, p: ParamTensors, energies: number[], draws: ShowerDraws, cfg: ObjectiveConfig,
): ObjectiveOut {
  const sim = model.simulate(p, energies, draws)
  const reco = cfg.rear ? leakageCorrectedOnTape(sim.reco, sim.cal, cfg.rear, energies) : sim.reco
  const { mean, std } = energyStats(reco)
  const resolution = cfg.loss === 'resolution_fit' ? fittedResolutionTerm(mean, std, energies) : resolutionTerm(mean, std)
  const linearity = linearityTerm(mean, energies).mul(cfg.linearityWeight) as tf.Scalar
  const task = resolution.add(linearity) as tf.Scalar
  const costAbs = model.cost(sim.eff)
  const cost = costAbs.div(cfg.costRef).mul(cfg.costWeight) as tf.Scalar
  const zero = tf.scalar(0)
  const depth = cfg.maxDepth !== null ? smoothExcess(sim.eff.depth, cfg.maxDepth).mul(cfg.depthWeight) as tf.Scalar : zero
  const budget = cfg.budget !== null && cfg.budget > 0 ? smoothExcess(costAbs, cfg.budget).mul(cfg.depthWeight) as tf.Scalar : zero
  const total = task.add(cost).add(depth).add(budget) as tf.Scalar
  const parts = tf.stack([task, resolution, linearity, cost, depth, budget]) as tf.Tensor1D
  return { total, parts, mean, std, sim }
}
