// The loss scan: at the current value it gives explain's loss, its central points follow the gradient's tangent
// (the same finite-difference agreement as explain's), and the session is left as it was. Both kinds. Each point
// ends a task, so a worker scanning still answers its heartbeat.
import { beforeAll, describe, expect, test } from 'vitest'
import { createCalorimeterSession } from './calorimeter/session'
import { smallDesign } from './calorimeter/test-helpers'
import { useNodeBackend } from './core/tensor'
import { MuographySession } from './muography/session'
import { uniformDesign } from './muography/test-designs'
import { scanParameter, scanParameters } from './scan'
import type { Session } from './session-types'

beforeAll(async () => { await useNodeBackend('wasm') })

async function check(s: Session, parameter: string, width: number) {
  const before = (await s.explain()).loss
  // three points: the current value in the middle, so the outer two are a central difference
  const r = await scanParameter(s, parameter, { points: 3, width })
  expect(r.values[1]).toBeCloseTo(r.current, 12)
  expect(r.losses[1]).toBeCloseTo(r.loss, 6)
  const fd = (r.losses[2] - r.losses[0]) / (r.values[2] - r.values[0])
  console.log(`${parameter}: slope ${r.slope.toExponential(4)}, scan ${fd.toExponential(4)}`)
  expect(Math.abs(r.slope - fd)).toBeLessThan(0.03 * Math.abs(fd) + 1e-3)
  expect((await s.explain()).loss).toBe(before)
}

describe('loss scan', () => {
  test('muography (Fisher loss): a panel height', async () => {
    const d = uniformDesign('iron', { size: [1, 1, 0.6], voxel: 0.2 })
    d.detector.panels.forEach((p, i) => { p.x = 0.35 + 0.02 * i; p.span_x = 0.7 })
    d.optimizer.muons_per_step = 4000
    const s = new MuographySession(d)
    expect(scanParameters(s)).toContain('below-1.z')
    // the stack's z range is 0.5 m: ±0.004 × 0.5 = ±2 mm
    await check(s, 'below-1.z', 0.004)
    // a timer set before the scan fires during it: each point ends a task (a worker's heartbeat gets through)
    let fired = false
    setTimeout(() => { fired = true }, 0)
    const seen: boolean[] = []
    const explain = s.explain.bind(s)
    const watched = Object.assign(Object.create(s) as Session, { explain: () => { seen.push(fired); return explain() } })
    await scanParameter(watched, 'below-1.z', { points: 3, width: 0.004 })
    expect(seen).toEqual([false, true, true, true])
    await expect(scanParameter(s, 'nope.x')).rejects.toThrow('no parameter "nope.x"')
    s.dispose()
  })

  test('calorimeter: a layer group thickness', async () => {
    const d = smallDesign([
      { repeat: 4, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 },
      { repeat: 6, absorber: 'lead', absorber_thickness: 0.006, active: 'scintillator', active_thickness: 0.004 },
    ], { transverse: 0.1, optimizer: { showers_per_step: 2000 } })
    const s = await createCalorimeterSession(d)
    expect(scanParameters(s)).toEqual(['layers[0].absorber_thickness', 'layers[0].active_thickness', 'layers[1].absorber_thickness', 'layers[1].active_thickness'])
    // the active bound range is about 0.0095 m: ±0.002 of it is ±19 µm
    await check(s, 'layers[1].active_thickness', 0.002)
    s.dispose()
  })
})
