// The kernel threads change the speed, never the numbers: a seed gives bit-identical muons, tracks and draws on 1
// and on 2 threads, and with 2 threads the second thread really runs blocks.
import { afterAll, expect, test } from 'vitest'
import { createPanelParams } from '../engine/muography/panels'
import { benchDesign } from '../engine/muography/bench-scenario'
import { buildVolume } from '../engine/muography/volume'
import { simulateMuons, SIM_BLOCK } from '../engine/muography/sim-blocks'
import { simulate } from '../engine/muography/pipeline'
import { useKernelThreads } from './kernel-host'
import { useNodeBackend } from '../engine/core/tensor'

afterAll(async () => { await useKernelThreads(1) })

test('simulate: same seed on 1 and 2 threads gives identical outputs, and the pool thread ran blocks', async () => {
  await useNodeBackend('wasm')
  const d = benchDesign(12 * SIM_BLOCK + 17)
  d.simulation.energy_loss = true
  const vol = buildVolume(d.volume)
  const panels = createPanelParams(d.detector)
  const n = d.optimizer.muons_per_step
  await useKernelThreads(1)
  const one = simulate(d, vol, panels, n, 7, 'train')
  await useKernelThreads(2)
  const two = simulate(d, vol, panels, n, 7, 'train')
  for (const k of ['p', 'pOut', 'xin', 'yin', 'uxin', 'xout', 'yout', 'zout', 'uxout', 'uyout', 'uzout', 'alive'] as const) {
    expect(Array.from(two.tracks[k]), k).toEqual(Array.from(one.tracks[k]))
  }
  expect(Array.from(two.noise)).toEqual(Array.from(one.noise))
  expect(Array.from(two.present)).toEqual(Array.from(one.present))
  // the muons are real: most cross the volume, the efficiency draws match the panels' 90 %
  expect(one.tracks.alive.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.5 * n)
  const eff = one.present.reduce((a, b) => a + b, 0) / one.present.length
  expect(Math.abs(eff - 0.9)).toBeLessThan(0.01)
  panels.dispose()
  // a larger job: the caller does not run every block itself
  const job = { n: 40 * SIM_BLOCK, seed: 3, flux: { model: 'guan' as const, area: { x0: 0, x1: 1, y0: 0, y1: 1 }, z: 1.2 }, vol,
    propagate: {}, layout: one.layout, efficiency: Float64Array.of(1, 1), kicks: false }
  const r = simulateMuons(job)
  expect(r.local).toBeLessThan(40)
})
