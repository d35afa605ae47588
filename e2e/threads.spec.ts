// Every core in the browser: the page is cross-origin isolated, the engine worker starts kernel threads (one per
// core but one, left to the page; ?threads=N for more) and says so on the backend badge, and the losses of the first
// steps do not depend on the thread count, for either kind.
import { expect, type Page } from '@playwright/test'
import { test, WASM } from './fixtures'

type Hooks = { history(): { step: number[]; total: (number | null)[] } }

async function firstLosses(page: Page, preset: string, threads: number, steps: number): Promise<number[]> {
  await page.goto(`${WASM}&threads=${threads}`)
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 90_000 })
  await expect(page.getByLabel('Preset')).not.toHaveValue('')
  // a reload opens the saved work, the previous run's steps included: start over, then pick the preset
  if (await page.getByTestId('step-count').textContent() !== '0') await page.getByRole('button', { name: 'Start fresh' }).click()
  await expect(page.getByTestId('step-count')).toHaveText('0')
  if (await page.getByLabel('Preset').inputValue() !== preset) await page.getByLabel('Preset').selectOption(preset)
  await expect(page.getByLabel('Preset')).toHaveValue(preset)
  await expect(page.getByTestId('step-count')).toHaveText('0')
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 90_000 })
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(async () => Number(await page.getByTestId('step-count').textContent()), { timeout: 300_000, intervals: [500] })
    .toBeGreaterThanOrEqual(steps)
  await page.getByRole('button', { name: 'Pause' }).click()
  const h = await page.evaluate(() => (window as unknown as { __dds: Hooks }).__dds.history())
  expect(h.step.slice(0, steps), 'a run of its own from step 1').toEqual(Array.from({ length: steps }, (_, i) => i + 1))
  return h.step.flatMap((s, i) => (s >= 1 && s <= steps ? [h.total[i] as number] : []))
}

test('cross-origin isolated; kernel threads on every core but the page\'s; the same losses on 1 thread and on all', async ({ page, watch }) => {
  void watch
  test.setTimeout(600_000)
  await page.goto(WASM)
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true)
  const cores = await page.evaluate(() => navigator.hardwareConcurrency)
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 90_000 })
  // by default one core is left to the page (no badge when that leaves one thread)
  if (cores > 2) await expect(page.getByTestId('backend-threads')).toHaveText(` · ${cores - 1} threads`)
  else await expect(page.getByTestId('backend-threads')).toHaveCount(0)
  // both kinds: the default muography preset, and a calorimeter, whose shower draws and profile integral run on
  // the kernel threads
  for (const preset of ['lead-in-beryllium', 'atlas-like-lar']) {
    const all = await firstLosses(page, preset, cores, 3)
    if (cores > 1) await expect(page.getByTestId('backend-threads')).toHaveText(` · ${cores} threads`)
    const one = await firstLosses(page, preset, 1, 3)
    await expect(page.getByTestId('backend-threads')).toHaveCount(0)
    expect(all, preset).toHaveLength(3)
    for (const l of all) expect(Number.isFinite(l) && l > 0, preset).toBe(true)
    expect(one, preset).toEqual(all)
  }
})
