#!/usr/bin/env node
// `npm run bench`: one full optimisation step at 10 000 and 100 000 muons (muography, Node, wasm) and a
// 30-layer calorimeter step, each on one thread (--threads 1) and on every core, side by side (in alternating pairs,
// below), the 100 000-muon step on one thread with idealised physics (what the energy loss, tail and panel
// material cost) and with an unknown momentum, and the step of a run that shows no X0 map (optimize, ensembles,
// sweeps: the Fisher loss's step without the map's EM solve); each run's figure is the median of several timed steps. Prints a table (with the mean phase split of a step) and the JSON lines. It times
// the bundled CLI (the package's `dds`, built here first): under the tsx loader every imported constant or function
// that a hot loop uses is read through a module getter, which cost a muography step about a tenth of its time.
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { median } from './median.mjs'
import { buildCli } from './build-cli.mjs'

const all = String(availableParallelism())
// [arguments, thread counts]: the ideal-physics row (no energy loss, tail or panel material) shows what that
// physics costs a step, and the unknown-momentum row what the mixture over the prior's values costs (the inference
// follows each of them along the path), measured in the same run
const scenarios = [
  [['bench', '--muons', '10000', '--repeats', '7'], ['1', all]],
  [['bench', '--muons', '100000', '--repeats', '5'], ['1', all]],
  [['bench', '--muons', '100000', '--repeats', '5', '--physics', 'ideal'], ['1']],
  [['bench', '--muons', '100000', '--repeats', '3', '--momentum', 'unknown'], ['1']],
  [['bench', '--muons', '100000', '--repeats', '5', '--x0-map', 'off'], ['1', all]],
  [['bench', '--kind', 'calorimeter', '--showers', '20000', '--repeats', '7'], ['1', all]],
]
const cli = await buildCli()
// A shared or virtual machine's speed drifts by tens of per cent over minutes, so a scenario timed on one thread
// and then on every core can show a speed-up that is the drift's. Each scenario with two thread counts is run in
// PAIRS alternating pairs; a row reports the median over its runs, and the speed-up is the median of the pairs'
// ratios.
const PAIRS = 3
const run = (args) => {
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (r.status !== 0) {
    console.error(`bench ${args.join(' ')} failed with exit code ${r.status}`)
    process.exitCode = 1
    return null
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop())
  console.log(JSON.stringify(out))
  return out
}
const rows = []
for (const [scenario, threadCounts] of scenarios) {
  const runs = threadCounts.map(() => [])
  const pairs = threadCounts.length > 1 ? PAIRS : 1
  for (let k = 0; k < pairs; k++) {
    threadCounts.forEach((threads, t) => {
      const out = run([...scenario, '--threads', threads])
      if (out) runs[t].push(out)
    })
  }
  const ratios = runs.length > 1 ? runs[0].map((one, k) => runs[1][k] && one.step_ms / runs[1][k].step_ms).filter(Boolean) : []
  runs.forEach((rs, t) => {
    if (!rs.length) return
    // the run whose step is the median of the scenario's runs at this thread count stands for the row
    const m = median(rs.map((o) => o.step_ms))
    const o = rs.reduce((a, b) => (Math.abs(b.step_ms - m) < Math.abs(a.step_ms - m) ? b : a))
    rows.push({ ...o, runs: rs.length, speedup: t > 0 && ratios.length ? median(ratios) : null })
  })
}
console.log('\nkind         size                  threads  runs  step (median)   throughput            speed-up  peak RSS  phases (ms/step)')
for (const o of rows) {
  const size = o.kind === 'calorimeter' ? `${o.showers} sh` : `${o.muons} mu${o.physics === 'ideal' ? ' (ideal)' : ''}${o.momentum === 'unknown' ? ' (p unknown)' : ''}${o.x0_map === 'off' ? ' (no map)' : ''}`
  const thr = o.kind === 'calorimeter' ? `${Math.round(o.showers_per_s)} showers/s` : `${Math.round(o.muons_per_s)} muons/s`
  const phases = Object.entries(o.phases_ms ?? {}).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')
  const up = o.speedup ? `${o.speedup.toFixed(2)}×` : ''
  console.log(`${o.kind.padEnd(12)} ${size.padEnd(21)} ${String(o.threads).padStart(7)} ${String(o.runs).padStart(5)} ${o.step_ms.toFixed(1).padStart(9)} ms    ${thr.padEnd(21)} ${up.padStart(8)} ${o.peak_rss_mb.toFixed(0).padStart(5)} MB  ${phases}`)
}
