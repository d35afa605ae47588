// The studio's ensemble or budget sweep as the design report shows it (src/report/many-runs.ts).
import { DEFAULT_CLUSTER_DISTANCE } from '../../engine/ensemble/clusters'
import type { Design } from '../../engine/design/schema'
import type { EnsembleSummary, FrontSummary } from '../../report/report-input'
import { useBeyond } from './store'

/** the last batch's summary if it is of this kind and has a finished run; runs without a result keep their row */
export function manyRunsOf(kind: Design['kind']): { ensemble?: EnsembleSummary; front?: FrontSummary } {
  const b = useBeyond.getState().batch
  if (!b || b.kind !== kind || !b.runs.some((r) => r.result)) return {}
  if (b.mode === 'front') {
    return { front: { points: b.front.map((p) => ({ budget: p.budget, cost: p.cost, validation: p.validation, on_front: p.onFront })) } }
  }
  return {
    ensemble: {
      runs: b.runs.map((r) => ({
        seed: r.seed ?? NaN,
        best: r.result ? { validation: r.result.best.validation, step: r.result.best.step, cost: r.result.cost } : { validation: NaN, step: NaN, cost: NaN },
      })),
      clusters: b.clusters.map((c) => ({ members: c.members, validation_median: c.validation_median })),
      distance: DEFAULT_CLUSTER_DISTANCE,
    },
  }
}
