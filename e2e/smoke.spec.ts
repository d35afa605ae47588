// Smoke test: the built app opens, has its title, talks to no other origin (everything is local) and groups its
// preset menu.
// The shipped presets are served and each one passes the design-file schema.
import { expect, test } from '@playwright/test'
import { parseDesignText } from '../src/engine/design/parse'

const LOCAL = /^(http:\/\/127\.0\.0\.1:\d+\/|blob:|data:)/

test('the studio opens with its title and makes no request to another origin', async ({ page }) => {
  const external: string[] = []
  let lastRequest = Date.now()
  page.on('request', (r) => {
    lastRequest = Date.now()
    if (!LOCAL.test(r.url())) external.push(r.url())
  })
  await page.goto('/')
  await expect(page).toHaveTitle('Detector Design Studio')
  await expect(page.locator('#root')).not.toBeEmpty()
  // let start-up requests (scripts, worker, wasm, fonts, presets) happen before judging: wait until no new
  // request for 2 s (at most 30 s; a page that keeps requesting is still checked)
  const t0 = Date.now()
  while (Date.now() - lastRequest < 2000 && Date.now() - t0 < 30_000) await page.waitForTimeout(250)
  expect(external, 'requests to another origin').toEqual([])
  // the preset menu in groups: scenarios first, the one-material calibration volumes last
  const groups = await page.getByLabel('Preset').locator('optgroup').evaluateAll((gs) => (gs as HTMLOptGroupElement[]).map((g) => `${g.label}: ${g.children.length}`))
  expect(groups).toEqual(['Muography scenarios: 4', 'Calorimeters: 5', expect.stringMatching(/^Calibration volumes \(one material\): \d+$/)])
})

test('every preset in presets/index.json is served and is a valid design file', async ({ request }) => {
  const res = await request.get('/presets/index.json')
  expect(res.ok()).toBe(true)
  const list = (await res.json()) as { name: string; title: string; kind: string; description: string }[]
  expect(list.length).toBeGreaterThan(0)
  expect(list[0].name).toBe('lead-in-beryllium')
  for (const entry of list) {
    const r = await request.get(`/presets/${entry.name}.json`)
    expect(r.ok(), `${entry.name}.json is served`).toBe(true)
    const parsed = parseDesignText(await r.text())
    expect(parsed.ok ? [] : parsed.errors, `${entry.name}.json is valid`).toEqual([])
    if (parsed.ok) expect(parsed.design.kind).toBe(entry.kind)
  }
})
