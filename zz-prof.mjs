import { chromium } from '@playwright/test'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--enable-unsafe-webgpu'] })
const page = await b.newPage({ viewport: { width: 1400, height: 900 } })
await page.addInitScript(() => { localStorage.setItem('dds.guide.seen.v1', '1'); window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]) }).observe({ type: 'longtask', buffered: true }) })
await page.goto('http://127.0.0.1:4190/?backend=wasm&autoplay=0')
await page.getByRole('button', { name: /^(Play|Pause)$/ }).and(page.locator(':enabled')).waitFor()
await page.waitForFunction(() => (window.__dds?.framesPresented ?? 0) > 0)
await page.getByRole('button', { name: 'Beyond one optimum' }).click()
const panel = page.getByRole('complementary', { name: 'Beyond one optimum' })
await panel.getByRole('tab', { name: 'Ensemble' }).click()
await panel.getByLabel('Starts').fill('3')
await panel.getByLabel('Steps per run').fill('4')
const cdp = await page.context().newCDPSession(page)
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 250 }); await cdp.send('Profiler.start')
const t0 = await page.evaluate(() => performance.now())
await panel.getByRole('button', { name: 'Run ensemble' }).click()
await page.getByTestId('ensemble-runs').and(page.locator('[data-done="3"]')).waitFor({ timeout: 240000 })
const { profile } = await cdp.send('Profiler.stop')
const lt = await page.evaluate((t0) => window.__lt.filter((e) => e[0] > t0).map(([s, d]) => [s - Math.round(t0), d]), t0)
await b.close()
console.log('longtasks after t0', JSON.stringify(lt))
const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
import { SourceMapConsumer } from 'source-map-js'
import { readFileSync, existsSync } from 'node:fs'
const maps = new Map()
const orig = (url, l, c) => { const f = 'dist/assets/' + url.split('/').pop(); if (!url || !existsSync(f + '.map')) return ''; if (!maps.has(f)) maps.set(f, new SourceMapConsumer(JSON.parse(readFileSync(f + '.map', 'utf8')))); const o = maps.get(f).originalPositionFor({ line: l + 1, column: c }); return o.source ? `${o.name ?? ''}<${o.source.split('node_modules/').pop()}:${o.line}>` : '' }
const name = (id) => { const n = nodes.get(id).callFrame; return `${n.functionName || '(anon)'}${orig(n.url, n.lineNumber, n.columnNumber)}` }
let t = profile.startTime; const ts = profile.samples.map((s, i) => (t += profile.timeDeltas[i]))
// busy stretches: consecutive non-idle samples
const idle = (id) => /^\(idle\)|^\(program\)$/.test(nodes.get(id).callFrame.functionName) && nodes.get(id).callFrame.functionName === '(idle)'
let i = 0
while (i < ts.length) {
  if (idle(profile.samples[i])) { i++; continue }
  let j = i; while (j + 1 < ts.length && !idle(profile.samples[j + 1])) j++
  const dur = (ts[j] - ts[i]) / 1000
  if (dur > 30) {
    const self = new Map(), stack = new Map()
    for (let k = i; k <= j; k++) { const id = profile.samples[k]; const w = (ts[k + 1] ?? ts[k]) - ts[k]; self.set(name(id), (self.get(name(id)) ?? 0) + w)
      let p = id; const seen = new Set(); while (p != null) { const nm = name(p); if (!seen.has(nm)) { seen.add(nm); stack.set(nm, (stack.get(nm) ?? 0) + w) } p = parent.get(p) } }
    console.log(`busy ${dur.toFixed(0)} ms at +${((ts[i] - profile.startTime) / 1000).toFixed(0)}: self ${[...self].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, w]) => `${n} ${(w / 1000).toFixed(1)}`).join(', ')}`)
    console.log(`   incl ${[...stack].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, w]) => `${n} ${(w / 1000).toFixed(1)}`).join(', ')}`)
  }
  i = j + 1
}
