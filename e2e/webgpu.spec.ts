// WebGPU computes: the studio forced onto the webgpu backend (Chromium's software adapter, SwiftShader) runs
// four optimisation steps of a muography and a calorimeter design, stays on webgpu without an alert, and its
// losses agree with the wasm backend's for the same design and seed within 5 % (for muography also the validation
// loss, which scores an EM solve's X0 map: on webgpu the muons are simulated, their paths traced and the EM
// iterated on the GPU; and the X0 map the steps solve). Small sizes: 2000 muons per step; the calorimeter's default
// 4000 showers per step, with a 200-shower validation set per energy (the software adapter needs minutes for the
// default 2000). Two kernel threads, so that what the GPU reads and returns passes through shared memory.
import { expect, type Page } from '@playwright/test'
import { test } from './fixtures'

const STEPS = 4

type Hooks = { history(): { step: number[]; total: (number | null)[]; validation: (number | null)[] } }

/** a preset at the test's sizes; `loss`: the muography task term, where the preset's is not wanted */
async function designFor(page: Page, preset: string, loss?: 'x0'): Promise<string> {
  const d = await page.evaluate(async (p) => (await fetch(`/presets/${p}.json`)).json(), preset) as Record<string, Record<string, unknown>>
  if (d.kind as unknown === 'muography') d.optimizer = { ...d.optimizer, muons_per_step: 2000, validation_muons: 2000, validation_every: 2, ...(loss ? { loss } : {}) }
  else d.beam = { ...d.beam, showers_per_energy: 200 }
  return JSON.stringify(d)
}

/** the first STEPS losses of a design on one backend, and the validation losses among them; asserts the backend
 *  held and no alert appeared */
async function lossesOn(
  page: Page, backend: 'webgpu' | 'wasm', preset: string, loss?: 'x0',
): Promise<{ losses: number[]; validation: number[]; map: MapContrast | null }> {
  const file = `gpu-check-${preset}${loss ? `-${loss}` : ''}.json`
  await page.goto(`/?backend=${backend}&softgpu=1&autoplay=0&threads=2`)
  await expect(page.getByTestId('backend')).toHaveText(backend, { timeout: 90_000 })
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 90_000 })
  // a reload opens the saved work: the other backend's run of this file, its name and steps included. Start over,
  // so that the file name seen below is this import's and the steps are this run's.
  if (await page.getByTestId('step-count').textContent() !== '0') await page.getByRole('button', { name: 'Start fresh' }).click()
  await expect(page.getByTestId('step-count')).toHaveText('0')
  await expect(page.getByText(`(${file})`)).toHaveCount(0)
  const text = await designFor(page, preset, loss)
  await page.getByTestId('import-input').setInputFiles({ name: file, mimeType: 'application/json', buffer: Buffer.from(text) })
  // the status bar names the imported file once the worker has loaded it (the calorimeter evaluates it first)
  await expect(page.getByText(`(${file})`)).toBeVisible({ timeout: 300_000 })
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 90_000 })
  await page.getByRole('button', { name: 'Play' }).click()
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  await expect.poll(async () => Number(await page.getByTestId('step-count').textContent()), { timeout: 300_000, intervals: [1000] })
    .toBeGreaterThanOrEqual(STEPS)
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByTestId('backend')).toHaveText(backend)
  await expect(page.getByRole('alert')).toHaveCount(0)
  const h = await page.evaluate(() => (window as unknown as { __dds: Hooks }).__dds.history())
  expect(h.step.slice(0, STEPS), 'a run of its own from step 1').toEqual(Array.from({ length: STEPS }, (_, i) => i + 1))
  const losses = h.step.flatMap((s, i) => (s >= 1 && s <= STEPS ? [h.total[i]] : []))
  expect(losses).toHaveLength(STEPS)
  for (const l of losses) expect(Number.isFinite(l) && l !== 0, `loss ${l} is finite and non-zero`).toBe(true)
  const validation = h.step.flatMap((s, i) => (s >= 1 && s <= STEPS && h.validation[i] !== null ? [h.validation[i] as number] : []))
  const map = await page.evaluate(() => (window as unknown as { __dds: { x0Map(): { pred: number[]; truth: number[] } | null } }).__dds.x0Map())
  return { losses: losses as number[], validation, map: map && mapContrast(map) }
}

/** per true material of the map's voxels (by true X0, in m, 3 digits): the median predicted X0 and the voxels */
type MapContrast = Record<string, [number, number]>

function mapContrast(map: { pred: number[]; truth: number[] }): MapContrast {
  const by = new Map<number, number[]>()
  map.truth.forEach((t, j) => by.set(t, [...(by.get(t) ?? []), map.pred[j]]))
  return Object.fromEntries([...by].map(([t, p]) => {
    const s = [...p].sort((a, b) => a - b)
    return [t.toPrecision(3), [s[s.length >> 1], s.length]]
  }))
}

test.describe.configure({ mode: 'serial' })

// the muography preset with its own (Fisher) loss and with the x0 loss, whose EM solution the tape takes on the GPU
for (const [preset, loss] of [['lead-in-beryllium', undefined], ['lead-in-beryllium', 'x0'], ['iron-scintillator', undefined]] as const) {
  const name = `${preset}${loss ? ` (${loss} loss)` : ''}`
  test(`${name} on software WebGPU: ${STEPS} steps, stays on webgpu, losses match wasm within 5 %`, async ({ page, watch }) => {
    void watch
    test.setTimeout(900_000)
    const gpu = await lossesOn(page, 'webgpu', preset, loss)
    const cpu = await lossesOn(page, 'wasm', preset, loss)
    const show = (r: { losses: number[]; validation: number[]; map: MapContrast | null }) =>
      `${r.losses.map((l) => l.toPrecision(6)).join(' ')} (validation ${r.validation.map((l) => l.toPrecision(6)).join(' ')}; map ${JSON.stringify(r.map)})`
    console.log(`${name}: webgpu ${show(gpu)} | wasm ${show(cpu)}`)
    gpu.losses.forEach((l, i) => expect(Math.abs(l / cpu.losses[i] - 1), `step ${i + 1}: webgpu ${l} vs wasm ${cpu.losses[i]}`).toBeLessThan(0.05))
    // the validation loss scores the X0 map of an EM solve (on the GPU on webgpu): every second step here
    if (preset === 'lead-in-beryllium') expect(gpu.validation.length).toBe(STEPS / 2)
    expect(gpu.validation).toHaveLength(cpu.validation.length)
    gpu.validation.forEach((l, i) => expect(Math.abs(l / cpu.validation[i] - 1), `validation ${i}: webgpu ${l} vs wasm ${cpu.validation[i]}`).toBeLessThan(0.05))
    // the X0 map the steps solve (on webgpu queued beside the loss, from the tape's tensors; gpu/check.ts compares it
    // with the same solve from the observations read back): the map shown is the last one a step solved, and steps
    // solve it by time, so the two backends' may be of different steps. On both, the lead block's median X0 is
    // within a factor of 2 of lead's and a tenth of the beryllium's at most (2000 muons: most beryllium voxels are
    // crossed by a muon or none, and keep their start)
    if (preset === 'lead-in-beryllium') {
      for (const [backend, m] of [['webgpu', gpu.map], ['wasm', cpu.map]] as const) {
        if (!m) throw new Error(`${backend}: no X0 map after the steps`)
        const [lead, beryllium] = [m['0.00561'][0], m['0.353'][0]]
        expect(Math.abs(Math.log(lead / 0.00561)), `${backend}: lead's median X0 ${lead} m`).toBeLessThan(Math.log(2))
        expect(lead, `${backend}: lead ${lead} m, beryllium ${beryllium} m`).toBeLessThan(0.1 * beryllium)
      }
    }
  })
}
