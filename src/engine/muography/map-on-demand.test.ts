// The predicted X0 map on demand (StepOptions.x0). With the Fisher loss the map does not feed the optimisation: a
// step that leaves it unsolved is the same step, the snapshot keeps the last solved map, and solveMap later gives
// the map the step would have solved. The x0 loss needs the map, and solves it on every step.
import { beforeAll, expect, test } from 'vitest'
import { useNodeBackend } from '../core/tensor'
import { runOptimize } from '../run-optimize'
import { benchDesign } from './bench-scenario'
import { MuographySession } from './session'

beforeAll(async () => { await useNodeBackend('wasm') })

const map = (s: MuographySession) => {
  const m = s.snapshot({ x0: true }).x0Pred
  return m ? Array.from(m) : null
}

test('Fisher loss: steps without the map are the same steps; the last map is kept, and solveMap gives the step\'s', async () => {
  const d = benchDesign(2000)
  expect(d.optimizer.loss).toBe('fisher')
  // every step solves the map / only the first / the first and the third
  const all = new MuographySession(d), first = new MuographySession(d), odd = new MuographySession(d)
  const steps = { all: [] as unknown[], first: [] as unknown[], odd: [] as unknown[] }
  let firstMap: number[] | null = null
  for (let k = 0; k < 3; k++) {
    steps.all.push(await all.step())
    steps.first.push(await first.step({ x0: k === 0 }))
    steps.odd.push(await odd.step({ x0: k !== 1 }))
    if (k === 0) firstMap = map(all)
  }
  const strip = (rs: unknown[]) => rs.map((r) => { const { total, parameters, loss } = r as { total: number; parameters: number[]; loss: unknown }; return { total, parameters, loss } })
  expect(strip(steps.first)).toEqual(strip(steps.all))
  expect(strip(steps.odd)).toEqual(strip(steps.all))
  // the map solved on the first step is kept while the steps leave it
  expect(firstMap!.some((x) => x > 0)).toBe(true)
  expect(map(first)).toEqual(firstMap)
  expect(map(all)).not.toEqual(firstMap)
  // solved later on the third step's batch (warm from the first map), it is the map the third step would have solved
  await first.solveMap()
  expect(map(first)).toEqual(map(odd))
  // and only once: nothing is left to solve
  const solved = map(first)
  await first.solveMap()
  expect(map(first)).toEqual(solved)
  for (const s of [all, first, odd]) s.dispose()
}, 120_000)

test('a run that shows no map leaves it to the end; the x0 loss solves it on every step', async () => {
  const d = benchDesign(1500)
  d.optimizer.validation_every = 100
  const s = new MuographySession(d)
  await runOptimize(s, 2)
  expect(map(s)).toBeNull()
  await s.solveMap()
  expect(map(s)!.some((x) => x > 0)).toBe(true)
  s.dispose()
  const x0 = benchDesign(1500)
  x0.optimizer.loss = 'x0'
  const t = new MuographySession(x0)
  await t.step({ x0: false })
  expect(map(t)!.some((x) => x > 0)).toBe(true)
  t.dispose()
}, 120_000)
