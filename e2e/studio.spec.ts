// End-to-end checks of the studio, as a person uses it: open, watch it optimise (and its predicted X0 map update), pause, drag a panel, nudge it
// with keys, export, import, import a broken file. Every test also checks that the page made no request to
// another origin and logged no console error, and records the longest main-thread long task while optimising.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'
import { BACKENDS, test, WASM } from './fixtures'
import { parseDesignText } from '../src/engine/design/parse'
import { sig } from '../src/report/html-text'
import { expectNoLongTasksSince, UNTRACED } from './long-tasks'

interface PanelState { id: string; stack: string; x: number; y: number; z: number; span_x: number; span_y: number }

const stepCount = async (page: Page) => Number(await page.getByTestId('step-count').textContent())
const panels = (page: Page) => page.evaluate(() => (window as unknown as { __dds: { panels(): PanelState[] } }).__dds.panels())
const selection = (page: Page) => page.evaluate(() => (window as unknown as { __dds: { state(): { selection: string | null } } }).__dds.state().selection)
const lossHistory = (page: Page) => page.evaluate(() => (window as unknown as { __dds: { history(): { step: number[]; total: (number | null)[] } } }).__dds.history())

async function openStudio(page: Page, url = WASM): Promise<void> {
  await page.goto(url)
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^(${BACKENDS.join('|')})$`), { timeout: 60_000 })
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await expect(page.getByLabel('Preset')).not.toHaveValue('')
  // the 3D view is loaded lazily
  await page.waitForFunction(() => typeof (window as unknown as { __dds?: { panelScreen?: unknown } }).__dds?.panelScreen === 'function', null, { timeout: 60_000 })
}

/** distinct colours on the WebGL canvas (the page renders and reads it back in one task) */
async function distinctColours(page: Page): Promise<number> {
  return page.evaluate(() => {
    const hooks = (window as unknown as { __dds?: { canvasColours?: () => number } }).__dds
    return hooks?.canvasColours ? hooks.canvasColours() : 0
  })
}

async function panelField(page: Page, label: string): Promise<number> {
  return Number(await page.getByLabel(label, { exact: true }).inputValue())
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length

test.use({ viewport: { width: 1400, height: 900 } })
test.use(UNTRACED)

test('default preset: picks a backend by itself, draws the volume and panels, starts optimising', async ({ page, watch }) => {
  void watch
  const t0 = Date.now()
  await page.goto('/')
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^(${BACKENDS.join('|')})$`), { timeout: 60_000 })
  const backend = await page.getByTestId('backend').textContent()
  const attempts = await page.getByTestId('backend').locator('..').getAttribute('title')
  console.log(`automatic backend: ${backend}\n${attempts}`)
  await expect(page.getByLabel('Preset')).toHaveValue('lead-in-beryllium')
  // the default preset starts optimising by itself
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(0)
  console.log(`first step ${((Date.now() - t0) / 1000).toFixed(1)} s after opening the page`)
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  // the main thread stays free from the moment the run starts, the view's first frames included
  await expect.poll(() => stepCount(page), { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(20)
  const started = await page.evaluate(() => (window as unknown as { __dds: { state(): { runStartedAt: number | null } } }).__dds.state().runStartedAt)
  expect(started).not.toBeNull()
  await expectNoLongTasksSince(page, started!, 'while optimising (autoplay from page load)')
  await expect.poll(() => distinctColours(page), { timeout: 30_000 }).toBeGreaterThan(40)
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
})

test('Play: the step count rises and the loss falls; Pause stops it; the main thread stays free', async ({ page, watch }) => {
  void watch
  await openStudio(page)
  await expect(page.getByTestId('step-count')).toHaveText('0')
  await expect.poll(() => distinctColours(page), { timeout: 30_000 }).toBeGreaterThan(40)
  const t0 = await page.evaluate(() => performance.now())
  await page.getByRole('button', { name: 'Play' }).click()
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  await expect.poll(() => stepCount(page), { timeout: 120_000, intervals: [1000] }).toBeGreaterThanOrEqual(36)
  await expectNoLongTasksSince(page, t0, 'while optimising (Play)')
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  const stopped = await stepCount(page)
  await page.waitForTimeout(1500)
  expect(await stepCount(page)).toBe(stopped)

  const sps = await page.getByTestId('steps-per-second').textContent()
  const h = await lossHistory(page)
  const loss = h.total.filter((v): v is number => v != null && Number.isFinite(v))
  expect(loss.length).toBeGreaterThanOrEqual(36)
  const early = mean(loss.slice(0, 6))
  const late = mean(loss.slice(-6))
  console.log(`loss: first 6 steps ${early.toFixed(4)}, last 6 of ${loss.length} ${late.toFixed(4)}; ${sps} steps/s`)
  expect(late).toBeLessThan(early)
  expect(Number(await page.getByTestId('loss-value').textContent())).toBeGreaterThan(0)
})

test('the predicted X0 map follows a run of fast steps (which solve it only for the view: workers/map-refresh.ts)', async ({ page, watch }) => {
  void watch
  await openStudio(page)
  await expect(page.getByTestId('step-count')).toHaveText('0')
  const muons = page.getByLabel('muons per step', { exact: true })
  await muons.fill('1000')
  await muons.press('Enter')
  await expect(muons).toHaveValue('1000')
  const pred = page.getByLabel('Predicted X0 of the layer')
  const image = () => pred.evaluate((c) => (c as HTMLCanvasElement).toDataURL())
  const blank = await image()
  await page.getByRole('button', { name: 'Play' }).click()
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1)
  const seen = new Set<string>()
  const s0 = await stepCount(page), t0 = Date.now()
  while (Date.now() - t0 < 4000) {
    seen.add(await image())
    await page.waitForTimeout(100)
  }
  const s1 = await stepCount(page)
  console.log(`predicted X0 map: ${seen.size} distinct images over steps ${s0} → ${s1}`)
  seen.delete(blank)
  // a new map several times a second while the steps run
  expect(seen.size).toBeGreaterThanOrEqual(3)
  expect(s1).toBeGreaterThan(s0)
})

test('select a panel and drag it on the canvas, also while optimising; nudge it with keys', async ({ page, watch }) => {
  void watch
  await openStudio(page)
  await page.getByRole('button', { name: 'Top', exact: true }).click()
  await page.waitForTimeout(300)
  const before = await panels(page)
  const target = before.find((p) => p.stack === 'above')!
  // click on the plate, away from the centre where the gizmo sits
  const at = await page.evaluate(([id]) => (window as unknown as { __dds: { panelScreen(id: string, u: number, v: number): { x: number; y: number } } }).__dds.panelScreen(id, 0.5, -0.5), [target.id])
  await page.mouse.click(at.x, at.y)
  await expect.poll(() => selection(page)).not.toBeNull()
  const id = (await selection(page))!
  const x0 = await panelField(page, 'x (m)')
  const y0 = await panelField(page, 'y (m)')

  // drag in the panel's plane
  await page.mouse.move(at.x, at.y)
  await page.mouse.down()
  for (let i = 1; i <= 8; i++) await page.mouse.move(at.x - 8 * i, at.y + 5 * i)
  await page.mouse.up()
  await expect.poll(() => panelField(page, 'x (m)')).not.toBe(x0)
  const x1 = await panelField(page, 'x (m)')
  const y1 = await panelField(page, 'y (m)')
  expect(x1).toBeLessThan(x0)
  expect(y1).toBeLessThan(y0) // screen down = −y in the top view
  const moved = (await panels(page)).find((p) => p.id === id)!
  expect(moved.x).toBeCloseTo(x1, 2)

  // keys: arrow = 5 schema steps, Shift+arrow = 1 step; PageUp/PageDown move in z
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => panelField(page, 'x (m)')).toBeCloseTo(x1 + 0.05, 6)
  await page.keyboard.press('Shift+ArrowUp')
  await expect.poll(() => panelField(page, 'y (m)')).toBeCloseTo(y1 + 0.01, 6)
  const z0 = await panelField(page, 'z (m)')
  await page.keyboard.press('PageDown')
  await expect.poll(() => panelField(page, 'z (m)')).not.toBe(z0)
  expect(await panelField(page, 'z (m)')).toBeLessThan(z0)

  // while optimising: select the panel again, drag it; the worker gets the drag and the optimiser carries on from
  // the new position
  await page.keyboard.press('Escape')
  await expect.poll(() => selection(page)).toBeNull()
  const tPlay = await page.evaluate(() => performance.now())
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(1)
  const live = await page.evaluate(([pid]) => (window as unknown as { __dds: { panelScreen(id: string, u: number, v: number): { x: number; y: number } } }).__dds.panelScreen(pid, 0.5, -0.5), [id])
  await page.mouse.click(live.x, live.y)
  await expect.poll(() => selection(page)).toBe(id)
  await page.waitForTimeout(300)
  const xBefore = (await panels(page)).find((p) => p.id === id)!.x
  await page.mouse.move(live.x, live.y)
  await page.mouse.down()
  for (let i = 1; i <= 10; i++) { await page.mouse.move(live.x + 20 * i, live.y); await page.waitForTimeout(30) }
  const dropX = (await panels(page)).find((p) => p.id === id)!.x
  const stepAtDrop = await stepCount(page)
  await page.mouse.up()
  expect(dropX).toBeGreaterThan(xBefore + 0.2)
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(stepAtDrop)
  await expectNoLongTasksSince(page, tPlay, 'while selecting and dragging a panel during the optimisation')
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  const after = (await panels(page)).find((p) => p.id === id)!
  const steps = (await stepCount(page)) - stepAtDrop + 1
  const maxChange = await page.evaluate(() => (window as unknown as { __dds: { state(): { maxChange: number } } }).__dds.state().maxChange)
  console.log(`drag while optimising: x ${xBefore.toFixed(3)} -> dropped at ${dropX.toFixed(3)} -> ${after.x.toFixed(3)} after ${steps} step(s)`)
  // the optimiser moves a panel by at most max_change per step: it continued from the dropped position
  expect(Math.abs(after.x - dropX)).toBeLessThanOrEqual(steps * maxChange + 1e-6)
})

test('Reset reproduces the same start from the seed', async ({ page, watch }) => {
  void watch
  await openStudio(page)
  const start = await panels(page)
  for (let i = 0; i < 3; i++) {
    const n = await stepCount(page)
    await page.getByRole('button', { name: 'Step' }).click()
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(n + 1)
  }
  const first = await lossHistory(page)
  const moved = await panels(page)
  expect(moved).not.toEqual(start)
  await page.keyboard.press('r')
  await expect(page.getByTestId('step-count')).toHaveText('0')
  expect(await panels(page)).toEqual(start)
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('s')
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(i + 1)
  }
  const second = await lossHistory(page)
  expect(second.total).toEqual(first.total)
})

test('export the design, import it back; a broken file shows its errors and changes nothing', async ({ page, watch }, info) => {
  void watch
  await openStudio(page)
  // five steps: the first validation, so the run has a best design
  for (let i = 0; i < 5; i++) {
    const n = await stepCount(page)
    await page.getByRole('button', { name: 'Step' }).click()
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(n + 1)
  }
  // a hand edit through the inspector
  await page.getByLabel('Selected panel').selectOption({ index: 2 })
  const span = page.getByLabel('span x (m)', { exact: true })
  await span.fill('0.8')
  await span.press('Enter')
  await expect(span).toHaveValue('0.8')
  const id = (await selection(page))!

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export design' }).click()])
  const file = info.outputPath('exported.design.json')
  await download.saveAs(file)
  const text = readFileSync(file, 'utf8')
  const parsed = parseDesignText(text)
  expect(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors)).toBe(true)
  if (!parsed.ok || parsed.design.kind !== 'muography') throw new Error('not a muography design')
  expect(parsed.design.results?.loss_history?.length).toBeGreaterThanOrEqual(5)
  expect(parsed.design.detector.panels.find((p) => p.id === id)!.span_x).toBeCloseTo(0.8, 9)
  if (existsSync('src/cli/commands/validate.ts')) {
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'validate', file, '--json'], { encoding: 'utf8' })
    const res = JSON.parse(out.trim().split('\n').pop()!)
    console.log(`cli validate: ${JSON.stringify(res).slice(0, 200)}`)
    expect(res.ok ?? res.valid).toBe(true)
  }
  const exported = parsed.design.detector.panels

  // the run history as a table, a row per step; the best design by validation, from before the hand edit
  const more = async (name: string) => {
    await page.getByLabel('More exports').first().click()
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()])
    return readFileSync((await d.path())!, 'utf8')
  }
  const csv = (await more('Run history (CSV)')).trimEnd().split('\n')
  expect(csv[0]).toMatch(/^step,loss_total,loss_task,loss_penalties,validation,detector_cost_\w+,above-0\.x_m,/)
  expect(csv[0].split(',')).toHaveLength(6 + 5 * exported.length)
  expect(csv.slice(1).map((r) => Number(r.split(',')[0]))).toEqual([1, 2, 3, 4, 5])
  expect(csv.slice(1).every((r) => r.split(',').length === 6 + 5 * exported.length)).toBe(true)
  const best = parseDesignText(await more('Best design (JSON)'))
  if (!best.ok || best.design.kind !== 'muography') throw new Error('the best design does not parse')
  expect(best.design.results?.best_step).toBe(5)
  expect(best.design.detector.panels.find((p) => p.id === id)!.span_x).not.toBeCloseTo(0.8, 3)
  // the design report: one HTML file with the name, the best validation, inline charts and the X0 maps
  const report = await more('Design report (HTML)')
  expect(report).toContain(`<h1>${best.design.name}</h1>`)
  expect(report).toContain(`<td>${sig(best.design.results!.best_validation!)}</td>`)
  expect(report.match(/<svg /g)!.length).toBeGreaterThanOrEqual(4)
  expect(report).toContain('aria-label="X0 maps"')
  expect(report).not.toMatch(/<script|(src|href)\s*=/i)

  // a chart as SVG (title, legend, the curves) and as PNG
  const lossFigure = page.locator('figure', { has: page.locator('figcaption strong', { hasText: /^Loss$/ }) })
  const save = async (format: 'SVG' | 'PNG') => {
    const [d] = await Promise.all([page.waitForEvent('download'), lossFigure.getByRole('button', { name: format, exact: true }).click()])
    return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) }
  }
  const svg = await save('SVG')
  expect(svg.name).toBe('loss.svg')
  const svgText = svg.bytes.toString('utf8')
  expect(svgText).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/)
  expect(svgText).toContain('>Loss</text>')
  expect(svgText).toContain('>validation, hard panels (right axis)</text>')
  for (const title of ['step', 'loss', 'validation']) expect(svgText).toContain(`class="axis-title">${title}</text>`)
  expect(svgText).toMatch(/<path[^>]+d="M[\d.]+,[\d.]+L/) // a drawn series
  const png = await save('PNG')
  expect(png.name).toBe('loss.png')
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  expect(png.bytes.length).toBeGreaterThan(2000)
  // the 3D view and the X0 slices as PNG: real images of the screen's size
  const pngOf = async (button: ReturnType<Page['getByRole']>) => {
    const [d] = await Promise.all([page.waitForEvent('download'), button.click()])
    const b = readFileSync((await d.path())!)
    expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    return { name: d.suggestedFilename(), width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length }
  }
  const view = await pngOf(page.getByRole('toolbar', { name: 'View' }).getByRole('button', { name: 'PNG' }))
  const box = (await page.getByRole('region', { name: '3D view' }).boundingBox())!
  expect(view.name).toMatch(/-3d\.png$/)
  expect(Math.abs(view.width - box.width)).toBeLessThan(0.05 * box.width)
  expect(view.bytes).toBeGreaterThan(10_000)
  const slices = await pngOf(page.getByRole('region', { name: 'X0 slices' }).getByRole('button', { name: 'PNG' }))
  expect(slices.name).toMatch(/-x0-layer1\.png$/)
  expect(slices.width).toBeGreaterThan(200)

  // back to the start, then import the file: the same parameters
  await page.getByRole('button', { name: 'Reset' }).click()
  await expect(page.getByTestId('step-count')).toHaveText('0')
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import design' }).click()])
  await chooser.setFiles(file)
  // the same parameters (the engine keeps them as float32: equal to ~1e-7 relative)
  const same = async () => {
    const now = await panels(page)
    return now.length === exported.length && now.every((p, i) => p.id === exported[i].id &&
      (['x', 'y', 'z', 'span_x', 'span_y'] as const).every((k) => Math.abs(p[k] - exported[i][k]) <= 1e-6 * Math.max(1, Math.abs(exported[i][k]))))
  }
  await expect.poll(same, { timeout: 30_000 }).toBe(true)
  await expect(page.getByTestId('step-count')).toHaveText('0')
  await page.getByLabel('Selected panel').selectOption(id)
  expect(await panelField(page, 'span x (m)')).toBeCloseTo(0.8, 6)
  await expect(page.getByRole('alert')).toHaveCount(0)

  // a broken file: every error with its JSON path, the design untouched
  const broken = JSON.parse(text)
  broken.detector.panels[2].span_x = -1
  broken.detector.panels[3].colour = 'red'
  broken.volume.background = 'cheese'
  const brokenFile = info.outputPath('broken.design.json')
  writeFileSync(brokenFile, JSON.stringify(broken))
  const beforeBroken = await panels(page)
  const stepBefore = await stepCount(page)
  await page.getByTestId('import-input').setInputFiles(brokenFile)
  const alert = page.getByRole('alert')
  await expect(alert).toBeVisible()
  await expect(alert).toContainText('detector.panels[2].span_x')
  await expect(alert).toContainText('detector.panels[3]')
  await expect(alert).toContainText('volume.background')
  expect(await panels(page)).toEqual(beforeBroken)
  expect(await stepCount(page)).toBe(stepBefore)
  await alert.getByRole('button', { name: 'Dismiss' }).click()

  // not JSON at all
  const junk = info.outputPath('junk.json')
  writeFileSync(junk, '{ this is not json')
  await page.getByTestId('import-input').setInputFiles(junk)
  await expect(page.getByRole('alert')).toContainText('(root)')
  expect(await panels(page)).toEqual(beforeBroken)
})

// DDS_SCREENSHOT=docs/screenshot.png npx playwright test -g screenshot: the picture in the README
test('screenshot of the studio for the README', async ({ page, watch }) => {
  void watch
  const shot = process.env.DDS_SCREENSHOT
  test.skip(!shot, 'set DDS_SCREENSHOT=path to write it')
  await openStudio(page)
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(30)
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  await page.getByLabel('Selected panel').selectOption({ index: 1 })
  await page.getByRole('slider', { name: 'Layer' }).fill('2')
  await page.getByRole('button', { name: 'Iso', exact: true }).click()
  await page.waitForTimeout(800)
  await page.screenshot({ path: shot! })
})
