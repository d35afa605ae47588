// One live design per kind: after a run, the tuned parameters (muography panels, calorimeter layers) are what the
// export writes, what a share link carries, what an engine restart continues from and what a reload restores; an
// inspector edit is one Undo away and Redo puts it back. The same test for both kinds.
import { readFileSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'
import { parseDesignText } from '../src/engine/design/parse'
import type { Design } from '../src/engine/design/schema'
import { layersOf } from '../src/kinds/calorimeter/live-design'
import { BACKENDS, test, WASM } from './fixtures'

interface Kind {
  kind: Design['kind']
  preset: string
  /** the live parameters, flat, from the test hooks */
  read(page: Page): Promise<number[]>
  /** the same parameters from a design file */
  fromDesign(d: Design): number[]
  /** type a value into the inspector; returns the field */
  edit(page: Page): Promise<{ field: ReturnType<Page['getByLabel']>; value: string }>
}

type Hooks = {
  panels(): { x: number; y: number; z: number; span_x: number; span_y: number }[]
  layers?(): { absorber_thickness: number; active_thickness: number }[]
  restarts(): number
  crashWorker(mode?: string): void
}
const hooks = <T,>(page: Page, fn: (h: Hooks) => T) => page.evaluate(`(${fn.toString()})(window.__dds)`) as Promise<Awaited<T>>

const KINDS: Kind[] = [
  {
    kind: 'muography',
    preset: 'lead-in-beryllium',
    read: (page) => hooks(page, (h) => h.panels().flatMap((p) => [p.x, p.y, p.z, p.span_x, p.span_y])),
    fromDesign: (d) => (d.kind === 'muography' ? d.detector.panels.flatMap((p) => [p.x, p.y, p.z, p.span_x, p.span_y]) : []),
    edit: async (page) => {
      await page.getByLabel('Selected panel').selectOption({ index: 2 })
      return { field: page.getByLabel('span x (m)', { exact: true }), value: '0.7' }
    },
  },
  {
    kind: 'calorimeter',
    preset: 'atlas-like-lar',
    // the workspace installs the layers hook when it mounts
    read: (page) => hooks(page, (h) => (h.layers?.() ?? []).flatMap((l) => [l.absorber_thickness, l.active_thickness])),
    fromDesign: (d) => (d.kind === 'calorimeter' ? layersOf(d).flatMap((l) => [l.absorber_thickness, l.active_thickness]) : []),
    edit: async (page) => ({ field: page.getByLabel('absorber thickness (m)', { exact: true }), value: '0.0012' }),
  },
]

/** the largest difference between two parameter lists (∞ when their lengths differ); the muography engine keeps
 *  its parameters in float32, so a design read back matches to ~1e-7 m */
const diff = (a: number[], b: number[]) => (a.length !== b.length || a.length === 0 ? Infinity : Math.max(...a.map((v, i) => Math.abs(v - b[i]))))
const SAME = 1e-6

const stepCount = async (page: Page) => Number(await page.getByTestId('step-count').textContent())

async function open(page: Page, url: string, k: Kind): Promise<void> {
  await page.goto(url)
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^(${BACKENDS.join('|')})$`), { timeout: 60_000 })
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await expect.poll(() => k.read(page).then((p) => p.length), { timeout: 60_000 }).toBeGreaterThan(0)
}

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1400, height: 900 } })

for (const k of KINDS) {
  test(`${k.kind}: the tuned design survives export, share link, undo/redo, an engine restart and a reload`, async ({ page, browser, watch }, info) => {
    watch.expected.push(/simulated/)
    const url = `${WASM}&preset=${k.preset}`
    await open(page, url, k)
    const preset = await k.read(page)

    // a run
    await page.getByRole('button', { name: 'Play' }).click()
    await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3)
    await page.getByRole('button', { name: 'Pause' }).click()
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
    const steps = await stepCount(page)
    const tuned = await k.read(page)
    expect(diff(tuned, preset)).toBeGreaterThan(1e-5)

    // export
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export design' }).click()])
    const file = info.outputPath(`${k.kind}.design.json`)
    await download.saveAs(file)
    const exported = parseDesignText(readFileSync(file, 'utf8'))
    if (!exported.ok) throw new Error(JSON.stringify(exported.errors))
    expect(diff(k.fromDesign(exported.design), tuned)).toBeLessThan(SAME)
    expect(exported.design.results?.steps).toBe(steps)

    // share link, opened in another browser context
    await page.getByRole('button', { name: 'Copy share link' }).click()
    const link = await page.getByTestId('share-link').inputValue()
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const other = await ctx.newPage()
    await open(other, `${WASM}${link.slice(link.indexOf('#'))}`, k)
    await expect.poll(async () => diff(await k.read(other), tuned)).toBeLessThan(SAME)
    await ctx.close()

    // a typed edit, Undo, Redo
    const { field, value } = await k.edit(page)
    await field.fill(value)
    await field.press('Enter')
    await expect(field).toHaveValue(value)
    const edited = await k.read(page)
    expect(diff(edited, tuned)).toBeGreaterThan(1e-5)
    await page.getByRole('button', { name: 'Undo', exact: true }).click()
    await expect.poll(async () => diff(await k.read(page), tuned)).toBeLessThan(SAME)
    await page.getByRole('button', { name: 'Redo', exact: true }).click()
    await expect.poll(async () => diff(await k.read(page), edited)).toBeLessThan(SAME)

    // an engine restart continues from the edited, tuned design and its step count
    const restarts = await hooks(page, (h) => h.restarts())
    await hooks(page, (h) => h.crashWorker('throw'))
    await expect(page.getByRole('alert')).toContainText('The engine failed and was restarted', { timeout: 30_000 })
    await expect.poll(() => hooks(page, (h) => h.restarts())).toBe(restarts + 1)
    await expect.poll(async () => diff(await k.read(page), edited)).toBeLessThan(SAME)
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click()
    await page.getByRole('button', { name: 'Step', exact: true }).click()
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(steps + 1)
    const continued = await k.read(page)

    // a reload restores it, with the step count
    await page.reload()
    await expect(page.getByRole('status').filter({ hasText: 'Restored your work from' })).toBeVisible({ timeout: 60_000 })
    await expect.poll(async () => diff(await k.read(page), continued), { timeout: 60_000 }).toBeLessThan(SAME)
    await expect(page.getByTestId('step-count')).toHaveText(String(steps + 1))
    console.log(`${k.kind}: ${steps} steps moved the parameters by up to ${diff(tuned, preset).toExponential(2)}; export, link, undo/redo, restart and reload kept them`)
  })
}
