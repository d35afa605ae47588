// Gradient arrows in the studio, for both kinds: while paused the switch computes the gradient of the current
// design on demand; while running the arrows follow each step's gradient. Every test also checks that the page
// made no request to another origin and logged no console error.
import { expect, type Page } from '@playwright/test'
import { BACKENDS, test, WASM } from './fixtures'

interface Arrow { label: string; origin: number[]; dir: number[]; length: number }

const arrows = (page: Page) => page.evaluate(() => {
  const h = (window as unknown as { __dds?: { gradientArrows?: () => Arrow[] } }).__dds
  return h?.gradientArrows ? h.gradientArrows() : []
})
const stepCount = async (page: Page) => Number(await page.getByTestId('step-count').textContent())

async function open(page: Page): Promise<void> {
  await page.goto(WASM)
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^(${BACKENDS.join('|')})$`), { timeout: 60_000 })
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await expect(page.getByLabel('Preset')).not.toHaveValue('')
}

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1400, height: 900 } })

test('muography: gradient arrows on the panels, on demand while paused and live while running', async ({ page, watch }) => {
  void watch
  await open(page)
  await page.waitForFunction(() => typeof (window as unknown as { __dds?: { gradientArrows?: unknown } }).__dds?.gradientArrows === 'function', null, { timeout: 60_000 })
  expect(await arrows(page)).toEqual([])
  await page.getByRole('checkbox', { name: 'gradient' }).check()
  await expect.poll(async () => (await arrows(page)).length, { timeout: 60_000 }).toBeGreaterThan(0)
  const paused = await arrows(page)
  // every arrow belongs to a panel of the preset (4 above + 4 below) and the steepest has the full length
  expect(new Set(paused.map((a) => a.label.split(' ')[0])).size).toBeGreaterThan(1)
  expect(Math.max(...paused.map((a) => a.length))).toBeCloseTo(0.3, 6)
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(2)
  // the arrows now come from the steps: they change as the panels move
  await expect.poll(async () => JSON.stringify(await arrows(page)) !== JSON.stringify(paused), { timeout: 60_000 }).toBe(true)
  await page.getByRole('button', { name: 'Pause' }).click()
  await page.getByRole('checkbox', { name: 'gradient' }).uncheck()
  await expect.poll(async () => (await arrows(page)).length).toBe(0)
})

test('calorimeter: gradient arrows on the layer boundaries', async ({ page, watch }) => {
  void watch
  await open(page)
  await page.getByLabel('Preset').selectOption('atlas-like-lar')
  await expect(page.getByTestId('resolution-value')).toHaveText(/^\d/, { timeout: 60_000 })
  await page.getByRole('checkbox', { name: 'gradient' }).check()
  await expect.poll(async () => (await arrows(page)).length, { timeout: 60_000 }).toBeGreaterThan(0)
  const a = await arrows(page)
  // boundary arrows point along the depth axis (engine x)
  for (const r of a) expect(Math.abs(r.dir[0])).toBe(1)
  expect(a.some((r) => r.label.endsWith('absorber')) || a.some((r) => r.label.endsWith('active'))).toBe(true)
})

// DDS_GRADIENT_SHOT=docs/gradient-arrows.png npx playwright test e2e/explain.spec.ts -g picture: the picture in docs/
test('picture of the gradient arrows for the docs', async ({ page, watch }) => {
  void watch
  const shot = process.env.DDS_GRADIENT_SHOT
  test.skip(!shot, 'set DDS_GRADIENT_SHOT=path to write it')
  await open(page)
  await page.getByRole('checkbox', { name: 'tracks' }).uncheck()
  await page.getByRole('checkbox', { name: 'gradient' }).check()
  await expect.poll(async () => (await arrows(page)).length, { timeout: 60_000 }).toBeGreaterThan(0)
  await page.getByRole('button', { name: 'Iso', exact: true }).click()
  await page.waitForTimeout(800)
  await page.getByRole('region', { name: '3D view' }).screenshot({ path: shot! })
})

test('loss scan: pick a parameter, scan, the curve draws (muography and calorimeter)', async ({ page, watch }) => {
  void watch
  await open(page)
  const figure = page.getByTestId('loss-scan')
  await expect(page.getByLabel('Scan parameter')).not.toHaveValue('', { timeout: 60_000 })
  await page.getByLabel('Scan parameter').selectOption('below-0.z')
  await figure.getByRole('button', { name: 'Scan' }).click()
  await expect(figure).toHaveAttribute('data-points', '9', { timeout: 120_000 })
  await expect(figure.locator('.chart-series')).toHaveCount(2) // the loss and its tangent
  await page.getByLabel('Preset').selectOption('atlas-like-lar')
  await expect(page.getByTestId('resolution-value')).toHaveText(/^\d/, { timeout: 60_000 })
  await expect(page.getByLabel('Scan parameter')).toHaveValue('layers[0].absorber_thickness', { timeout: 60_000 })
  await page.getByTestId('loss-scan').getByRole('button', { name: 'Scan' }).click()
  await expect(page.getByTestId('loss-scan')).toHaveAttribute('data-points', '9', { timeout: 120_000 })
})

test('a scan cut short by an engine restart ends and says so; the next scan works', async ({ page, watch }) => {
  watch.expected.push(/simulated/)
  await page.goto(`${WASM}&watchdog=6000`)
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  const figure = page.getByTestId('loss-scan')
  await expect(page.getByLabel('Scan parameter')).not.toHaveValue('', { timeout: 60_000 })
  await figure.getByRole('button', { name: 'Scan' }).click()
  await expect(figure.getByRole('button', { name: 'Scanning…' })).toBeVisible()
  // the worker hangs between two scan points; the supervisor restarts it
  await page.evaluate(() => (window as unknown as { __dds: { crashWorker(m: string): void } }).__dds.crashWorker('hang'))
  await expect(page.getByRole('alert')).toContainText('no heartbeat', { timeout: 30_000 })
  await expect(figure.getByRole('button', { name: 'Scan' })).toBeVisible({ timeout: 60_000 })
  // the restarted engine takes a scan once it is up
  await expect.poll(() => page.evaluate(() => (window as unknown as { __dds: { state(): { status: string } } }).__dds.state().status), { timeout: 60_000 }).toBe('ready')
  await expect(figure.getByRole('button', { name: 'Scan' })).toBeEnabled()
  await figure.getByRole('button', { name: 'Scan' }).click()
  await expect(figure).toHaveAttribute('data-points', '9', { timeout: 120_000 })
})
