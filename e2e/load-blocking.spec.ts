// Page-load main-thread blocking time, as Lighthouse counts it (total blocking time): the sum over the tasks of the
// load of their time beyond 50 ms. The load runs from navigation start until the workspace has drawn the design in
// 3D (no autoplay, so no optimiser step is counted; the first frame reaching the screen, then the view is checked to
// show the design), plus a second for what follows the first frame. Target: at most
// 200 ms on the production build, for the default muography preset and for the calorimeter preset. Each kind is
// loaded five times in a fresh browser context (cold cache) and the median is judged.
// On a quiet 2-core machine with software WebGL the medians are now 150–180 ms (docs/architecture.md), but a shared
// machine's spread is wider than that margin: the test logs the target as met or MISSED and asserts a regression
// guard of GUARD_MS (scaled like the long-task rule on a machine loaded far beyond the test itself, e2e/long-tasks.ts).
import { expect, type Browser } from '@playwright/test'
import { LONG_TASK_TARGET_MS, longTaskLimit, UNTRACED } from './long-tasks'
import { test, WASM } from './fixtures'

const TARGET_MS = 200
const GUARD_MS = 600
const LOADS = 5

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
  // the first frame on screen, seen through a counter the render scheduler keeps (polling the colour count instead
  // would draw and read back a frame synchronously inside the measured load)
  await expect.poll(() => page.evaluate(() => {
    const h = (window as unknown as { __dds?: { framesPresented?: number } }).__dds
    return h?.framesPresented ?? 0
  }), { timeout: 90_000, intervals: [100] }).toBeGreaterThan(0)
  await page.waitForTimeout(1000)
  const tasks = await page.evaluate(() => (window as unknown as { __loadTasks: number[] }).__loadTasks.map(Math.round))
  // after the measurement: the frame shows the design (a blank or background-only canvas has a handful of colours)
  const colours = await page.evaluate(() => (window as unknown as { __dds: { canvasColours: () => number } }).__dds.canvasColours())
  expect(colours, 'distinct colours on the 3D view after the load').toBeGreaterThan(20)
  await ctx.close()
  return { tbt: tasks.reduce((s, d) => s + Math.max(0, d - 50), 0), tasks }
}

test.describe.configure({ mode: 'serial' })
test.use(UNTRACED)

for (const [kind, url] of [['muography', WASM], ['calorimeter', `${WASM}&preset=atlas-like-lar`]] as const) {
  test(`page-load blocking time, ${kind}`, async ({ browser, watch }) => {
    void watch
    const runs: { tbt: number; tasks: number[] }[] = []
    for (let i = 0; i < LOADS; i++) runs.push(await blockingTime(browser, url))
    const sorted = runs.map((r) => r.tbt).sort((a, b) => a - b)
    const median = sorted[Math.floor(LOADS / 2)]
    // the guard, scaled like the long-task rule's limit on an overloaded machine
    const { limit, why } = longTaskLimit()
    const allowed = Math.round((GUARD_MS * limit) / LONG_TASK_TARGET_MS)
    console.log(`PAGE-LOAD BLOCKING TIME ${kind}: median ${median} ms of ${runs.map((r) => `${r.tbt} (${r.tasks.join('+') || 'no long task'})`).join(', ')}; target ${TARGET_MS} ms ${median <= TARGET_MS ? 'met' : 'MISSED'}; regression guard ${allowed} ms (${why})`)
    expect(median, `median page-load blocking time, ${kind} (ms)`).toBeLessThanOrEqual(allowed)
  })
}
