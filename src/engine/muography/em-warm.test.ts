// A warm EM solve (from the previous step's λ, as a session's step runs it) refreshes the momentum model on fewer
// iterations than a cold one (em.ts, warmRefreshAt): against the full schedule, on the benchmark volume with energy
// loss, the densities it lands on must differ far less than two batches of muons do.
import { beforeAll, expect, test } from 'vitest'
import { useNodeBackend } from '../core/tensor'
import { absorptionObservations, entryResolution } from './absorption-data'
import { benchDesign } from './bench-scenario'
import { refreshAt, warmRefreshAt } from './em'
import { createPanelParams } from './panels'
import { observeBatch, simulate, solveX0 } from './pipeline'
import { buildVolume } from './volume'

beforeAll(async () => { await useNodeBackend('wasm') })

/** median and 90th percentile over voxels of |a/b − 1| */
function spread(a: ArrayLike<number>, b: ArrayLike<number>): { median: number; p90: number } {
  const r = Array.from(a, (v, j) => Math.abs(v / b[j] - 1)).sort((x, y) => x - y)
  return { median: r[r.length >> 1], p90: r[Math.floor(0.9 * r.length)] }
}

test('from a previous λ, refreshing on iterations 0 and 4 lands within 1 % of the full schedule, far inside the batch-to-batch spread', { timeout: 120_000 }, async () => {
  const design = benchDesign(40_000)
  const vol = buildVolume(design.volume)
  const panels = createPanelParams(design.detector)
  const solve = async (seed: number, opts: Parameters<typeof solveX0>[4]) => {
    const batch = simulate(design, vol, panels, 40_000, seed, 'train')
    const { lines, obs } = await observeBatch(batch, vol, panels, 'smooth', 1)
    const absorption = absorptionObservations(batch, vol, panels, entryResolution(design))
    return solveX0(batch, vol, lines, obs, { ...opts, absorption }).em.lambda
  }
  const previous = await solve(1, { iterations: 20 })
  const warm = { iterations: 10, init: previous }
  const full = await solve(2, { ...warm, refreshOn: refreshAt })
  const fewer = await solve(2, { ...warm, refreshOn: warmRefreshAt })
  const byDefault = await solve(2, warm)
  const other = await solve(3, { ...warm, refreshOn: refreshAt })
  const schedule = spread(fewer, full), batches = spread(other, full)
  console.log(`warm refreshes on 0 and 4 against 0, 1, 2, 4, 8: median ${(100 * schedule.median).toFixed(2)} %, p90 ${(100 * schedule.p90).toFixed(2)} %; another batch: ${(100 * batches.median).toFixed(1)} %`)
  expect(Array.from(byDefault)).toEqual(Array.from(fewer))
  expect(schedule.median).toBeLessThan(0.01)
  expect(schedule.p90).toBeLessThan(0.03)
  expect(schedule.median).toBeLessThan(batches.median / 10)
  panels.dispose()
})
