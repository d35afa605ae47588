// Optimiser settings written into a design file: what the UI changes while a session runs (the session applies the
// same patch to itself with setConfig). Returns a new design; the input is not changed.
import type { SessionConfigPatch } from '../session-types'
import type { Design } from './schema'

export function withSettings(d: Design, patch: SessionConfigPatch): Design {
  const seed = patch.seed ?? d.seed
  if (d.kind === 'muography') {
    const o = { ...d.optimizer }
    if (patch.learning_rates) o.learning_rates = { ...o.learning_rates, ...patch.learning_rates }
    if (patch.muons_per_step != null) o.muons_per_step = patch.muons_per_step
    if (patch.cost_weight !== undefined) o.cost_weight = patch.cost_weight
    if (patch.budget !== undefined) o.budget = patch.budget
    if (patch.loss === 'x0' || patch.loss === 'fisher') o.loss = patch.loss
    // a fixed smoothness is an annealing that starts and ends there
    if (patch.smoothness != null) o.smoothness = { start: patch.smoothness, end: patch.smoothness }
    return { ...d, seed, optimizer: o }
  }
  const o = { ...d.optimizer }
  if (patch.learning_rate != null) o.learning_rate = patch.learning_rate
  if (patch.showers_per_step != null) o.showers_per_step = patch.showers_per_step
  if (patch.cost_weight !== undefined) o.cost_weight = patch.cost_weight
  if (patch.budget !== undefined) o.budget = patch.budget
  if (patch.loss === 'resolution' || patch.loss === 'resolution_fit') o.loss = patch.loss
  return { ...d, seed, optimizer: o }
}
