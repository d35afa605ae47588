// The benchmark's 'ideal' physics really turns the energy loss, the tail and the panels' material off (so the
// side-by-side bench row measures what they cost), 'full' keeps the design defaults, and the momentum option sets
// what the inference knows of each muon's momentum.
import { expect, test } from 'vitest'
import { benchDesign } from './bench-scenario'
import { createPanelParams } from './panels'
import { simulate } from './pipeline'
import { buildVolume } from './volume'

test('ideal physics: muons leave with the momentum they entered with, panels have no material; full: they lose energy', () => {
  for (const physics of ['ideal', 'full'] as const) {
    const d = benchDesign(2000, physics)
    const vol = buildVolume(d.volume)
    const b = simulate(d, vol, createPanelParams(d.detector), 2000, 1, 'bench-test')
    let lost = 0, crossed = 0
    for (let i = 0; i < b.tracks.n; i++) {
      // through the volume (a line that misses it leaves the muon unchanged)
      if (!b.tracks.alive[i] || b.tracks.zin[i] - b.tracks.zout[i] < 0.5) continue
      crossed++
      if (b.tracks.pOut[i] < b.tracks.p[i]) lost++
    }
    expect(crossed).toBeGreaterThan(1000)
    if (physics === 'ideal') {
      expect(lost).toBe(0)
      expect(b.kicks).toBeNull()
      expect(b.stopped).toBe(0)
    } else {
      expect(lost).toBe(crossed)
      expect(b.kicks).not.toBeNull()
    }
  }
})

test('an unknown momentum: the inference takes the prior\'s values, not the simulated momenta; known: each muon\'s own', () => {
  const d = benchDesign(2000, 'full', 'unknown')
  const vol = buildVolume(d.volume)
  const b = simulate(d, vol, createPanelParams(d.detector), 2000, 1, 'bench-test')
  expect(b.entry.kind).toBe('prior')
  expect(b.entry.p.length).toBe(16)
  const known = simulate(benchDesign(2000), vol, createPanelParams(d.detector), 2000, 1, 'bench-test')
  expect(known.entry.kind).toBe('point')
  expect(known.entry.p.length).toBe(2000)
})
