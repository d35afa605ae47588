// End-to-end checks of "nothing a user does or loads can lose their work or break the studio": autosave and
// restore on reload, undo / redo, share links, a crashed / hung worker, Stop, the non-finite guard, and hostile
// files. Same conventions as studio.spec.ts (no other origin, no unexpected console error, ?backend=wasm).
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'
import { BACKENDS, test, WASM } from './fixtures'

interface PanelState { id: string; stack: string; x: number; y: number; z: number; span_x: number; span_y: number }
interface Hooks {
  panels(): PanelState[]
  history(): { step: number[]; total: (number | null)[]; validation: (number | null)[] }
  state(): { status: string; step: number; selection: string | null; generation: number }
  crashWorker(mode?: string): void
  panelScreen(id: string, u: number, v: number): { x: number; y: number }
  restarts(): number
}

const hooks = <T>(page: Page, fn: (h: Hooks) => T) => page.evaluate(`(${fn.toString()})(window.__dds)`) as Promise<Awaited<T>>
const panels = (page: Page) => hooks(page, (h) => h.panels())
const history = (page: Page) => hooks(page, (h) => h.history())
const stepCount = async (page: Page) => Number(await page.getByTestId('step-count').textContent())
const runStatus = (page: Page) => page.getByTestId('run-status').textContent()

async function openStudio(page: Page, url = WASM): Promise<void> {
  await page.goto(url)
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^(${BACKENDS.join('|')})$`), { timeout: 60_000 })
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await expect.poll(() => panels(page).then((p) => p.length), { timeout: 60_000 }).toBeGreaterThan(0)
}

async function steps(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const k = await stepCount(page)
    await page.getByRole('button', { name: 'Step', exact: true }).click()
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(k + 1)
  }
}

async function editSpan(page: Page, index: number, value: string): Promise<string> {
  await page.getByLabel('Selected panel').selectOption({ index })
  const span = page.getByLabel('span x (m)', { exact: true })
  await span.fill(value)
  await span.press('Enter')
  await expect(span).toHaveValue(value)
  return (await hooks(page, (h) => h.state().selection))!
}

/** the largest difference between two panel lists (∞ when the panels differ): the engine keeps positions in
 *  float32, so a design read back after a reload, a link or an undo matches to ~1e-7 m, not to the last bit */
function panelDiff(a: PanelState[], b: PanelState[]): number {
  if (a.length !== b.length) return Infinity
  let d = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i].id !== b[i].id || a[i].stack !== b[i].stack) return Infinity
    for (const k of ['x', 'y', 'z', 'span_x', 'span_y'] as const) d = Math.max(d, Math.abs(a[i][k] - b[i][k]))
  }
  return d
}
const diffFrom = async (page: Page, ref: PanelState[]) => panelDiff(await panels(page), ref)
const SAME = 1e-6

const spanOf = async (page: Page, id: string) => (await panels(page)).find((p) => p.id === id)!.span_x

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1400, height: 900 } })

test('reload restores the design, the settings and the run history; Start fresh starts over', async ({ page, watch }) => {
  void watch
  await openStudio(page)
  const fresh = await panels(page)
  await steps(page, 3)
  const id = await editSpan(page, 2, '0.8')
  const before = await panels(page)
  const h = await history(page)
  expect(h.step).toEqual([1, 2, 3])

  await page.reload() // pagehide saves at once
  await expect(page.getByRole('status').filter({ hasText: 'Restored your work from' })).toBeVisible({ timeout: 60_000 })
  await expect.poll(() => diffFrom(page, before)).toBeLessThan(SAME)
  expect(await spanOf(page, id)).toBeCloseTo(0.8, 6)
  expect((await history(page)).step).toEqual(h.step)
  expect((await history(page)).total).toEqual(h.total)
  await expect(page.getByTestId('step-count')).toHaveText('3')

  // the run continues its step numbers
  await steps(page, 1)
  expect((await history(page)).step).toEqual([1, 2, 3, 4])

  // a reload without changes restores again (periodic save + pagehide)
  await page.reload()
  await expect(page.getByRole('status').filter({ hasText: 'Restored your work from' })).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('step-count')).toHaveText('4')

  await page.getByRole('button', { name: 'Start fresh' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Restored your work' })).toHaveCount(0)
  await expect(page.getByTestId('step-count')).toHaveText('0')
  await expect.poll(() => diffFrom(page, fresh)).toBeLessThan(SAME)
  expect((await history(page)).step).toEqual([])
  await page.reload()
  await expect.poll(() => diffFrom(page, fresh), { timeout: 60_000 }).toBeLessThan(SAME)
  await expect(page.getByTestId('step-count')).toHaveText('0')
})

test('undo / redo: an inspector edit, key nudges, a drag, a run; shortcuts ignored while typing', async ({ page, watch }) => {
  void watch
  await openStudio(page)
  const undoBtn = page.getByRole('button', { name: 'Undo', exact: true })
  const redoBtn = page.getByRole('button', { name: 'Redo', exact: true })
  await expect(undoBtn).toBeDisabled()
  const start = await panels(page)

  // inspector edit: one entry
  const id = await editSpan(page, 2, '0.7')
  await undoBtn.click()
  await expect.poll(() => spanOf(page, id)).toBeCloseTo(start.find((p) => p.id === id)!.span_x, 6)
  await expect(page.getByLabel('span x (m)', { exact: true })).toHaveValue(String(start.find((p) => p.id === id)!.span_x))
  await redoBtn.click()
  await expect.poll(() => spanOf(page, id)).toBeCloseTo(0.7, 6)

  // keyboard: Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, not while typing
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('Control+z')
  await expect.poll(() => spanOf(page, id)).toBeCloseTo(start.find((p) => p.id === id)!.span_x, 6)
  await page.keyboard.press('Control+Shift+Z')
  await expect.poll(() => spanOf(page, id)).toBeCloseTo(0.7, 6)
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Control+y')
  await expect.poll(() => spanOf(page, id)).toBeCloseTo(0.7, 6)
  const field = page.getByLabel('span x (m)', { exact: true })
  await field.focus()
  await page.keyboard.press('s')
  await page.keyboard.press('Control+z')
  await page.waitForTimeout(300)
  expect(await stepCount(page)).toBe(0)
  expect(await spanOf(page, id)).toBeCloseTo(0.7, 6)
  await field.press('Escape')
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())

  // a burst of arrow-key nudges is one entry
  const x0 = (await panels(page)).find((p) => p.id === id)!.x
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
  await expect.poll(async () => (await panels(page)).find((p) => p.id === id)!.x).toBeCloseTo(x0 + 0.15, 6)
  await page.keyboard.press('Control+z')
  await expect.poll(async () => (await panels(page)).find((p) => p.id === id)!.x).toBeCloseTo(x0, 6)

  // a drag on the canvas is one entry
  await page.getByRole('button', { name: 'Top', exact: true }).click()
  await page.waitForTimeout(300)
  const target = (await panels(page)).find((p) => p.stack === 'above')!
  const at = await page.evaluate(([pid]) => (window as unknown as { __dds: Hooks }).__dds.panelScreen(pid, 0.5, -0.5), [target.id])
  const beforeDrag = await panels(page)
  await page.mouse.move(at.x, at.y)
  await page.mouse.down()
  for (let i = 1; i <= 8; i++) await page.mouse.move(at.x - 8 * i, at.y + 5 * i)
  await page.mouse.up()
  await expect.poll(() => diffFrom(page, beforeDrag)).toBeGreaterThan(SAME)
  const dragged = await panels(page)
  await undoBtn.click()
  await expect.poll(() => diffFrom(page, beforeDrag)).toBeLessThan(SAME)
  await redoBtn.click()
  await expect.poll(() => diffFrom(page, dragged)).toBeLessThan(SAME)

  // a run: undo restores the design from before Play (the steps are not entries)
  const beforeRun = await panels(page)
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(2)
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  expect(await diffFrom(page, beforeRun)).toBeGreaterThan(SAME)
  await undoBtn.click()
  await expect.poll(() => diffFrom(page, beforeRun)).toBeLessThan(SAME)

  // loading a preset is one entry
  const presetBefore = await page.getByLabel('Preset').inputValue()
  const other = await page.getByLabel('Preset').locator('option').evaluateAll((os) => (os as HTMLOptionElement[]).map((o) => o.value).filter(Boolean))
  const next = other.find((v) => v !== presetBefore && !/calo|atlas|tungsten|iron-scint/.test(v))!
  await page.getByLabel('Preset').selectOption(next)
  await expect(page.getByLabel('Preset')).toHaveValue(next)
  await expect.poll(() => diffFrom(page, beforeRun)).toBeGreaterThan(SAME)
  await undoBtn.click()
  await expect(page.getByLabel('Preset')).toHaveValue(presetBefore)
  await expect.poll(() => diffFrom(page, beforeRun)).toBeLessThan(SAME)

  // the help dialog lists the shortcuts, from the registry; a real modal: focus moves in, Escape closes it (and
  // reaches nothing behind it), focus returns to where it was
  await page.keyboard.press('?')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toContainText('Ctrl+Z')
  await expect(dialog).toContainText('Ctrl+Shift+Z / Ctrl+Y')
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused()
  const status = await runStatus(page)
  await page.keyboard.press('Space') // on the focused Close button, not Play
  await expect(dialog).toHaveCount(0)
  expect(await runStatus(page)).toBe(status)
  const link = page.getByRole('button', { name: 'Keyboard shortcuts (?)' })
  await link.click()
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(link).toBeFocused()

  // the about box: version, licence, how to cite, the open design's description
  await page.getByRole('button', { name: 'About', exact: true }).click()
  const about = page.getByRole('dialog', { name: 'About Detector Design Studio' })
  await expect(about.getByTestId('app-version')).toHaveText(JSON.parse(readFileSync('package.json', 'utf8')).version)
  await expect(about).toContainText('Licence: MIT')
  await expect(about).toContainText('cff-version')
  await expect(about.getByRole('region', { name: 'This design' })).not.toBeEmpty()
  await page.keyboard.press('Escape')
  await expect(about).toHaveCount(0)
})

test('a share link opened in a new page gives the same design; a broken link says why', async ({ page, browser, watch }) => {
  void watch
  await openStudio(page)
  await steps(page, 2)
  await editSpan(page, 1, '0.65')
  const mine = await panels(page)
  await page.getByRole('button', { name: 'Copy share link' }).click()
  const link = await page.getByTestId('share-link').inputValue()
  expect(link).toMatch(/#d1=[A-Za-z0-9_-]+$/)
  console.log(`share link: ${link.length} characters`)

  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  const other = await ctx.newPage()
  const errors: string[] = []
  other.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  const hash = link.slice(link.indexOf('#'))
  await openStudio(other, `${WASM}${hash}`)
  await expect.poll(() => diffFrom(other, mine)).toBeLessThan(SAME)
  await expect(other.getByTestId('step-count')).toHaveText('0')
  await expect(other.getByRole('alert')).toHaveCount(0)
  expect(await other.evaluate(() => location.hash)).toBe('') // consumed: a reload restores the receiver's own work

  // a damaged link: the errors in the alert, the default design loaded
  const fresh = await ctx.newPage()
  fresh.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  await openStudio(fresh, `${WASM}#d1=${hash.slice(4, 60)}`)
  await expect(fresh.getByRole('alert')).toContainText('share link')
  console.log(`damaged link → ${(await fresh.getByRole('alert').textContent())?.replace(/\s+/g, ' ')}`)
  await expect(fresh.getByLabel('Preset')).toHaveValue('lead-in-beryllium')
  await ctx.close()
  expect(errors).toEqual([])
})

test('a worker that throws, hangs or is stopped is restarted from the last good design; the history is kept', async ({ page, watch }) => {
  watch.expected.push(/simulated/)
  await openStudio(page, `${WASM}&watchdog=6000`)
  await editSpan(page, 2, '0.75')
  const designLine = page.locator('footer.statusbar > span').nth(1)
  const name = await designLine.textContent()

  for (const mode of ['step', 'throw', 'hang', 'gpu'] as const) {
    await page.getByRole('button', { name: 'Play' }).click()
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(2)
    const restarts = await hooks(page, (h) => h.restarts())
    const h0 = await history(page)
    const ids = (await panels(page)).map((p) => p.id)
    await page.evaluate((m) => (window as unknown as { __dds: Hooks }).__dds.crashWorker(m), mode)
    const alert = page.getByRole('alert')
    await expect(alert).toContainText('The engine failed and was restarted', { timeout: 30_000 })
    console.log(`crash "${mode}" → ${(await alert.textContent())?.replace(/\s+/g, ' ')}`)
    // a lost GPU device moves the engine to wasm and says so
    if (mode === 'gpu') {
      await expect(alert).toContainText('the engine now runs on wasm')
      await expect(page.getByTestId('backend')).toHaveText('wasm')
    }
    await expect.poll(() => hooks(page, (h) => h.restarts())).toBe(restarts + 1)
    await expect.poll(() => runStatus(page)).toBe('ready')
    // the design and the history survive
    expect((await panels(page)).map((p) => p.id)).toEqual(ids)
    const h1 = await history(page)
    expect(h1.step.slice(0, h0.step.length)).toEqual(h0.step)
    expect(h1.total.slice(0, h0.total.length)).toEqual(h0.total)
    await alert.getByRole('button', { name: 'Dismiss' }).click()
    // and the new engine carries on, continuing the step numbers
    const n = await stepCount(page)
    await steps(page, 1)
    const h2 = await history(page)
    expect(h2.step.at(-1)).toBe(n + 1)
  }
  expect(await designLine.textContent()).toBe(name)

  // Stop ends a run at once, unlike Pause; no alert
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(1)
  const beforeStop = await hooks(page, (h) => h.restarts())
  await page.getByRole('button', { name: 'Stop', exact: true }).click()
  await expect.poll(() => hooks(page, (h) => h.restarts())).toBe(beforeStop + 1)
  await expect.poll(() => runStatus(page)).toBe('ready')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()

  // a run that keeps producing non-finite values pauses itself and says why
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(0)
  await page.evaluate(() => (window as unknown as { __dds: Hooks }).__dds.crashWorker('nan'))
  await expect(page.getByRole('alert')).toContainText('non-finite', { timeout: 60_000 })
  await expect.poll(() => runStatus(page)).toBe('paused')
  await expect(page.getByTestId('nan-steps')).not.toHaveText('0 non-finite skipped')
  console.log(`non-finite guard → ${(await page.getByRole('alert').textContent())?.replace(/\s+/g, ' ')}; rails: ${await page.getByTestId('rails').textContent()}`)
})

test('hostile files are rejected with their errors and change nothing', async ({ page, watch }, info) => {
  void watch
  await openStudio(page)
  await steps(page, 1)
  const before = await panels(page)
  const preset = await page.evaluate(async () => (await fetch('/presets/lead-in-beryllium.json')).text())

  const cases: { name: string; body: string | Buffer; expect: RegExp }[] = [
    { name: 'oversized.design.json', body: `{"pad":"${'x'.repeat(5_300_000)}"}`, expect: /large|MB|limit/i },
    { name: 'proto.design.json', body: preset.replace(/^\{/, '{"__proto__":{"polluted":true},'), expect: /__proto__/ },
    { name: 'constructor.design.json', body: preset.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'), expect: /constructor|prototype/ },
    { name: 'deep.design.json', body: '['.repeat(100_000) + ']'.repeat(100_000), expect: /deep|nest|depth/i },
    { name: 'binary.design.json', body: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]), expect: /UTF-8|text/i },
    { name: 'nan.design.json', body: preset.replace(/"x":\s*[-0-9.e]+/, '"x": 1e999'), expect: /finite|number|x/i },
  ]
  const alert = page.getByRole('alert')
  for (const c of cases) {
    const file = info.outputPath(c.name)
    writeFileSync(file, c.body)
    await page.getByTestId('import-input').setInputFiles(file)
    await expect(alert).toBeVisible()
    await expect(alert).toContainText(c.expect)
    console.log(`${c.name} → ${(await alert.textContent())?.replace(/\s+/g, ' ').slice(0, 300)}`)
    expect(await panels(page)).toEqual(before)
    expect(await stepCount(page)).toBe(1)
    expect(await page.evaluate(() => ({} as Record<string, unknown>).polluted)).toBeUndefined()
    await alert.getByRole('button', { name: 'Dismiss' }).click()
  }

  // drag and drop goes through the same guard: an oversized drop is refused from its size
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(6 * 1024 * 1024)], 'huge.design.json', { type: 'application/json' }))
    const app = document.querySelector('.app')!
    app.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
    app.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  })
  await expect(alert).toContainText(/large|MB|limit/i)
  console.log(`dropped huge.design.json → ${(await alert.textContent())?.replace(/\s+/g, ' ').slice(0, 300)}`)
  expect(await panels(page)).toEqual(before)
})
