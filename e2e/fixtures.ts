// The fixture every end-to-end test uses: it records console errors, page errors and requests to another origin
// from page load on (plus main-thread long tasks, e2e/long-tasks.ts) and, when the test ends, fails it on any
// request to another origin or any console error the test did not declare expected (watch.expected).
import { expect, test as base } from '@playwright/test'
import { recordLongTasks } from './long-tasks'

export interface Watch { errors: string[]; external: string[]; expected: RegExp[] }

/** the studio with the wasm backend forced and no autoplay */
export const WASM = '/?backend=wasm&autoplay=0'
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu']

export const test = base.extend<{ watch: Watch; guideSeen: boolean }>({
  // the first-visit guide is its own test's subject (e2e/guide.spec.ts); elsewhere the browser has seen it
  guideSeen: [true, { option: true }],
  watch: async ({ page, guideSeen }, use) => {
    if (guideSeen) await page.addInitScript(() => { try { localStorage.setItem('dds.guide.seen.v1', '1') } catch { /* no storage */ } })
    const w: Watch = { errors: [], external: [], expected: [] }
    page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()) })
    page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`))
    page.on('request', (r) => {
      const u = r.url()
      if (!/^(http:\/\/127\.0\.0\.1:\d+\/|blob:|data:)/.test(u)) w.external.push(u)
    })
    await recordLongTasks(page)
    await use(w)
    expect(w.external, 'requests to another origin').toEqual([])
    expect(w.errors.filter((e) => !w.expected.some((re) => re.test(e))), 'console errors').toEqual([])
  },
})
