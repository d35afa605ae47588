// Beyond one optimum in the studio, for both kinds: an ensemble of 3 starts runs on background workers (the page
// stays responsive), shows its runs, draws their best designs as ghosts and loads one (an undo step); the front
// chart draws for a budget sweep; two designs are compared in one table and the second drawn as a ghost.
import { readFileSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'
import { expectNoLongTasksSince, UNTRACED } from './long-tasks'
import { BACKENDS, test, WASM } from './fixtures'

type Ghost = { label: string; segments: number }
const ghosts = (page: Page) => page.evaluate(() => (window as unknown as { __dds?: { ghosts?: () => Ghost[] } }).__dds?.ghosts?.() ?? [])
const panels = (page: Page) => page.evaluate(() => (window as unknown as { __dds: { panels(): { id: string; z: number }[] } }).__dds.panels())

async function open(page: Page): Promise<void> {
  await page.goto(WASM)
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^(${BACKENDS.join('|')})$`), { timeout: 60_000 })
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await expect(page.getByLabel('Preset')).not.toHaveValue('')
  // the view's first frame (its shader programs) is page-load work, checked in load-blocking.spec: the checks here
  // begin after it, as a batch's workers do
  await expect.poll(() => page.evaluate(() => (window as unknown as { __dds?: { framesPresented?: number } }).__dds?.framesPresented ?? 0), { timeout: 60_000 }).toBeGreaterThan(0)
}

async function openPanel(page: Page, tab: 'Ensemble' | 'Front' | 'Compare') {
  const panel = page.getByRole('complementary', { name: 'Beyond one optimum' })
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Beyond one optimum' }).click()
  await panel.getByRole('tab', { name: tab }).click()
  return panel
}

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1400, height: 900 } })
test.use(UNTRACED)

test('muography: an ensemble of 3 starts runs in the background, shows its runs and ghosts, and loads one', async ({ page, watch }) => {
  void watch
  await open(page)
  const panel = await openPanel(page, 'Ensemble')
  await panel.getByLabel('Starts').fill('3')
  await panel.getByLabel('Steps per run').fill('4')
  const t0 = await page.evaluate(() => performance.now())
  await panel.getByRole('button', { name: 'Run ensemble' }).click()
  const runs = panel.getByTestId('ensemble-runs')
  await expect(runs.locator('tbody tr')).toHaveCount(3)
  // the traces draw while the runs go on, then every run finishes with a best design
  await expect(panel.getByTestId('ensemble-trace')).not.toHaveAttribute('data-lines', '0', { timeout: 120_000 })
  await expect(runs).toHaveAttribute('data-done', '3', { timeout: 240_000 })
  await expectNoLongTasksSince(page, t0, 'while an ensemble of 3 runs in background workers')
  await expect(panel.getByTestId('ensemble-validation')).toHaveAttribute('data-bars', '3')
  await expect(panel.getByTestId('ensemble-validation').locator('rect.validation-bar')).toHaveCount(3)
  await expect(panel.getByTestId('ensemble-clusters').locator('li').first()).toBeVisible()
  // each run's best design is a ghost in the 3D view: 8 panels × 12 edges
  await expect.poll(async () => (await ghosts(page)).map((g) => g.segments)).toEqual([96, 96, 96])
  // loading run 1 (a perturbed start) moves the panels to its best design; undo brings the preset back
  const before = await panels(page)
  await panel.getByRole('button', { name: 'Load run 1' }).click()
  await expect.poll(async () => JSON.stringify(await panels(page)) !== JSON.stringify(before)).toBe(true)
  await page.keyboard.press('Control+z')
  await expect.poll(async () => JSON.stringify(await panels(page))).toBe(JSON.stringify(before))
  // the main run is untouched by the ensemble: still at step 0
  await expect(page.getByTestId('step-count')).toHaveText('0')
  // the design report carries the ensemble: a row per run and the chart of best validation per run
  await page.getByLabel('More exports').first().click()
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Design report (HTML)' }).click()])
  const report = readFileSync((await d.path())!, 'utf8')
  expect(report).toContain('<h2>Ensemble: 3 starts</h2>')
  expect(report).toContain('aria-label="Best validation per run"')
  expect(report).toMatch(/<tr><td>2<\/td><td>\d+<\/td><td>[\d.e+-]+<\/td>/)
})

test('calorimeter: an ensemble of 3 starts, ghosts on the layer boundaries, and a cluster loads', async ({ page, watch }) => {
  void watch
  await open(page)
  await page.getByLabel('Preset').selectOption('atlas-like-lar')
  await expect(page.getByTestId('resolution-value')).toHaveText(/^\d/, { timeout: 60_000 })
  const panel = await openPanel(page, 'Ensemble')
  await panel.getByLabel('Starts').fill('3')
  await panel.getByLabel('Steps per run').fill('3')
  await panel.getByRole('button', { name: 'Run ensemble' }).click()
  await expect(panel.getByTestId('ensemble-runs')).toHaveAttribute('data-done', '3', { timeout: 240_000 })
  await expect.poll(async () => (await ghosts(page)).length).toBe(3)
  await expect(panel.getByLabel('Ensemble trace parameter')).toHaveValue(/^layer 0 /)
  await panel.getByRole('button', { name: 'Load cluster 1' }).click()
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('front: a budget sweep draws the cost–performance front', async ({ page, watch }) => {
  void watch
  await open(page)
  const panel = await openPanel(page, 'Front')
  await panel.getByLabel('Budgets').fill('2, 4, 8')
  await panel.getByLabel('Steps per budget').fill('3')
  await panel.getByRole('button', { name: 'Trace front' }).click()
  const chart = panel.getByTestId('front-chart')
  await expect(chart).toHaveAttribute('data-points', '3', { timeout: 240_000 })
  // at least the cheapest point is on the front, and the chart draws a dot per budget
  expect(Number(await chart.getAttribute('data-front'))).toBeGreaterThan(0)
  await expect(chart.locator('.chart-point')).toHaveCount(3)
  // a bad budget list is named and leaves the chart as it was
  await panel.getByLabel('Budgets').fill('4, -1')
  await panel.getByRole('button', { name: 'Trace front' }).click()
  await expect(panel.getByRole('status')).toContainText('positive numbers')
  await expect(chart).toHaveAttribute('data-points', '3')
})

test('compare: the open design beside a design file, differences highlighted, the file drawn as a ghost', async ({ page, watch }) => {
  void watch
  await open(page)
  // the second design: the preset with one panel lowered by 5 cm
  const text = await page.evaluate(async () => (await fetch('presets/lead-in-beryllium.json')).text())
  const d = JSON.parse(text) as { detector: { panels: { id: string; z: number }[] } }
  d.detector.panels[0].z -= 0.05
  const panel = await openPanel(page, 'Compare')
  await panel.getByTestId('compare-input').setInputFiles({ name: 'lowered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(d)) })
  const table = panel.getByTestId('compare-table')
  await expect(table).toBeVisible({ timeout: 120_000 })
  // the moved panel's z differs (by −0.05 m), and so does the validation; the other panels' parameters do not
  const row = table.locator('tr.differs', { hasText: `${d.detector.panels[0].id}.z` })
  await expect(row).toHaveCount(1)
  await expect(row.locator('td').nth(2)).toHaveText('-0.05')
  await expect(table.locator('tr.differs', { hasText: 'validation' })).toHaveCount(1)
  await expect(table.locator('tr.differs', { hasText: '.x' })).toHaveCount(0)
  await expect.poll(async () => (await ghosts(page)).map((g) => g.label)).toEqual(['lowered.json'])
  // a file of the other kind is refused with a clear message; the comparison stays
  const calo = await page.evaluate(async () => (await fetch('presets/atlas-like-lar.json')).text())
  await panel.getByTestId('compare-input').setInputFiles({ name: 'calo.json', mimeType: 'application/json', buffer: Buffer.from(calo) })
  await expect(panel.getByRole('status')).toContainText('same kind')
  await expect(table).toBeVisible()
  // pinning the best design of the run replaces the file
  await panel.getByRole('button', { name: 'Pin best design' }).click()
  await expect.poll(async () => (await ghosts(page)).map((g) => g.label)).toEqual(['pinned best'])
})

test('voxel view "how well measured": the per-voxel X0 precision of the open design, recomputed after a step', async ({ page, watch }) => {
  void watch
  await open(page)
  const colours = () => page.evaluate(() => (window as unknown as { __dds: { canvasColours(): number } }).__dds.canvasColours())
  await page.getByRole('radiogroup', { name: 'Voxel colour' }).getByText('how well measured').click()
  const legend = page.getByTestId('measured-legend')
  await expect(legend).toHaveAttribute('data-ready', 'yes', { timeout: 120_000 })
  await expect(legend).toContainText(/from \d+ muons, step 0/)
  // some voxels are crossed by detected muons, and their precision is a fraction (the preset: 10 × 10 × 6 voxels)
  const measured = Number(await legend.getAttribute('data-measured'))
  expect(measured).toBeGreaterThan(0)
  expect(measured).toBeLessThanOrEqual(600)
  const best = Number(await legend.getAttribute('data-best'))
  expect(best).toBeGreaterThan(0)
  expect(best).toBeLessThan(1)
  expect(await colours()).toBeGreaterThan(4)
  // one optimiser step moves the panels: the map follows the design
  await page.getByRole('button', { name: 'Step', exact: true }).click()
  await expect(legend).toContainText(/from \d+ muons, step 1/, { timeout: 120_000 })
})

// DDS_BEYOND_SHOTS=docs npx playwright test e2e/ensemble.spec.ts -g pictures: the pictures in docs/beyond-one-optimum.md
// (not part of npm test: they only write files). Returns the folder, with the studio open and the tracks hidden.
async function openForPictures(page: Page, timeout: number): Promise<string> {
  const dir = process.env.DDS_BEYOND_SHOTS
  test.skip(!dir, 'set DDS_BEYOND_SHOTS=folder to write them')
  test.setTimeout(timeout)
  await open(page)
  await page.getByRole('checkbox', { name: 'tracks' }).uncheck()
  return dir!
}

test('pictures of the ensemble and the front for the docs', async ({ page, watch }) => {
  void watch
  const dir = await openForPictures(page, 900_000)
  const panel = await openPanel(page, 'Ensemble')
  await panel.getByLabel('Starts').fill('6')
  await panel.getByLabel('Steps per run').fill('40')
  await panel.getByLabel('Spread').fill('0.3')
  await panel.getByRole('button', { name: 'Run ensemble' }).click()
  await expect(panel.getByTestId('ensemble-runs')).toHaveAttribute('data-done', '6', { timeout: 840_000 })
  await page.getByRole('button', { name: 'Iso', exact: true }).click()
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `${dir}/ensemble.png` })
  await openPanel(page, 'Front')
  await panel.getByLabel('Budgets').fill('2, 4, 8, 16')
  await panel.getByLabel('Steps per budget').fill('40')
  await panel.getByRole('button', { name: 'Trace front' }).click()
  await expect(panel.getByTestId('front-chart')).toHaveAttribute('data-points', '4', { timeout: 840_000 })
  await page.waitForTimeout(1500)
  await panel.screenshot({ path: `${dir}/front.png` })
})

test('pictures of the comparison and the "how well measured" view for the docs', async ({ page, watch }) => {
  void watch
  const dir = await openForPictures(page, 600_000)
  for (let k = 0; k < 2; k++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click()
    await expect(page.getByTestId('step-count')).toHaveText(String(k + 1), { timeout: 120_000 })
  }
  const panel = await openPanel(page, 'Compare')
  const text = await page.evaluate(async () => (await fetch('presets/lead-in-beryllium.json')).text())
  const d = JSON.parse(text) as { detector: { panels: { x: number; y: number }[] } }
  for (const p of d.detector.panels) { p.x = 0.5; p.y = 0.5 }
  await panel.getByTestId('compare-input').setInputFiles({ name: 'centred.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(d)) })
  await expect(panel.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 })
  await page.getByRole('button', { name: 'Iso', exact: true }).click()
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `${dir}/compare.png` })
  await panel.getByRole('button', { name: 'Clear' }).click()
  await page.getByRole('button', { name: 'Beyond one optimum' }).click()
  await page.getByRole('radiogroup', { name: 'Voxel colour' }).getByText('how well measured').click()
  await expect(page.getByTestId('measured-legend')).toHaveAttribute('data-ready', 'yes', { timeout: 120_000 })
  await expect(page.getByTestId('measured-legend')).toContainText('step 2')
  await page.waitForTimeout(1500)
  await page.getByRole('region', { name: '3D view' }).screenshot({ path: `${dir}/how-well-measured.png` })
})
