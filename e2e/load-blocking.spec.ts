// Page-load main-thread blocking time, as Lighthouse counts it (total blocking time): the sum over the tasks of the
// load of their time beyond 50 ms. The load runs from navigation start until the workspace has drawn the design in
// 3D (no autoplay, so no optimiser step is counted), plus a second for what follows the first frame. Target: at most
// 200 ms on the production build, for the default muography preset and for the calorimeter preset. Each kind is
// loaded three times in a fresh browser context (cold cache) and the median is judged; on a machine loaded far
// beyond the test itself only a regression guard is asserted (e2e/long-tasks.ts).
import { expect, type Browser } from '@playwright/test'
import { LONG_TASK_TARGET_MS, longTaskLimit } from './long-tasks'
import { test, WASM } from './fixtures'

const TARGET_MS = 200
const LOADS = 3

async function blockingTime(browser: Browser, url: string): Promise<{ tbt: number; tasks: number[] }> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await ctx.newPage()
  await page.addInitScript(() => {
    const w = window as unknown as { __loadTasks: number[] }
    w.__loadTasks = []
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__loadTasks.push(e.duration) })
      .observe({ type: 'longtask', buffered: true })
  })
  await page.goto(url)
  // the design drawn in 3D: the render scheduler's read-back counts the canvas colours
  await expect.poll(() => page.evaluate(() => {
    const h = (window as unknown as { __dds?: { canvasColours?: () => number } }).__dds
    return h?.canvasColours ? h.canvasColours() : 0
  }), { timeout: 90_000 }).toBeGreaterThan(20)
  await page.waitForTimeout(1000)
  const tasks = await page.evaluate(() => (window as unknown as { __loadTasks: number[] }).__loadTasks.map(Math.round))
  await ctx.close()
  return { tbt: tasks.reduce((s, d) => s + Math.max(0, d - 50), 0), tasks }
}

test.describe.configure({ mode: 'serial' })

for (const [kind, url] of [['muography', WASM], ['calorimeter', `${WASM}&preset=atlas-like-lar`]] as const) {
  test(`page-load blocking time, ${kind}`, async ({ browser, watch }) => {
    void watch
    const runs: { tbt: number; tasks: number[] }[] = []
    for (let i = 0; i < LOADS; i++) runs.push(await blockingTime(browser, url))
    const sorted = runs.map((r) => r.tbt).sort((a, b) => a - b)
    const median = sorted[Math.floor(LOADS / 2)]
    // the long-task rule's regression guard, scaled from its 50 ms target to this 200 ms one
    const { limit, why } = longTaskLimit()
    const allowed = limit === LONG_TASK_TARGET_MS ? TARGET_MS : Math.round((TARGET_MS * limit) / LONG_TASK_TARGET_MS)
    console.log(`PAGE-LOAD BLOCKING TIME ${kind}: median ${median} ms of ${runs.map((r) => `${r.tbt} (${r.tasks.join('+') || 'no long task'})`).join(', ')}; target ${TARGET_MS} ms ${median <= TARGET_MS ? 'met' : 'MISSED'}; limit ${allowed} ms: ${why}`)
    expect(median, `median page-load blocking time, ${kind} (ms)`).toBeLessThanOrEqual(allowed)
  })
}
