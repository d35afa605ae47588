// The flags that set up an optimisation run of either kind, shared by optimize, explain, ensemble and front:
// --seed, --muons (muography) or --showers (calorimeter), --budget and --loss override the design's settings.
import type { Flags } from './args'
import type { Design } from '../engine/design/schema'

export function applyRunFlags(flags: Flags, design: Design): void {
  const seed = flags.number('seed', undefined, { min: 0, max: 2 ** 31 - 1, integer: true })
  if (seed !== undefined) design.seed = seed
  const budget = flags.number('budget', undefined, { min: 0 })
  if (budget !== undefined) design.optimizer.budget = budget
  if (design.kind === 'muography') {
    design.optimizer.muons_per_step = flags.number('muons', design.optimizer.muons_per_step, { min: 100, max: 1_000_000, integer: true })
    design.optimizer.loss = flags.choice('loss', ['x0', 'fisher'] as const, design.optimizer.loss)
  } else {
    design.optimizer.showers_per_step = flags.number('showers', design.optimizer.showers_per_step, { min: 10, max: 1_000_000, integer: true })
    design.optimizer.loss = flags.choice('loss', ['resolution', 'resolution_fit'] as const, design.optimizer.loss)
  }
}

export const RUN_FLAGS_USAGE = '[--muons N | --showers N] [--seed K] [--budget B] [--loss KIND]'
