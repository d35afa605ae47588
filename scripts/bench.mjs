#!/usr/bin/env node
// `npm run bench`: one full optimisation step at 10 000 and 100 000 muons (muography, Node, wasm) and a
// 30-layer calorimeter step, each on one thread (--threads 1) and on every core, side by side, and the 100 000-muon
// step with idealised physics on one thread (what the energy loss, tail and panel material cost); each figure is the
// median of several timed steps. Prints a table (with the mean phase split of a step) and the JSON lines. It times
// the bundled CLI (the package's `dds`, built here first): under the tsx loader every imported constant or function
// that a hot loop uses is read through a module getter, which cost a muography step about a tenth of its time.
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { buildCli } from './build-cli.mjs'

const all = String(availableParallelism())
// [arguments, thread counts]: the ideal-physics row (no energy loss, tail or panel material) shows what that
// physics costs a step, measured in the same run
const scenarios = [
  [['bench', '--muons', '10000', '--repeats', '7'], ['1', all]],
  [['bench', '--muons', '100000', '--repeats', '5'], ['1', all]],
  [['bench', '--muons', '100000', '--repeats', '5', '--physics', 'ideal'], ['1']],
  [['bench', '--kind', 'calorimeter', '--showers', '20000', '--repeats', '7'], ['1', all]],
]
const cli = await buildCli()
const rows = []
for (const [scenario, threadCounts] of scenarios) {
  for (const threads of threadCounts) {
    const args = [...scenario, '--threads', threads]
    const r = spawnSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    if (r.status !== 0) {
      console.error(`bench ${args.join(' ')} failed with exit code ${r.status}`)
      process.exitCode = 1
      continue
    }
    const out = JSON.parse(r.stdout.trim().split('\n').pop())
    rows.push(out)
    console.log(JSON.stringify(out))
  }
}
console.log('\nkind         size              threads  step (median)   throughput            peak RSS  phases (ms/step)')
for (const o of rows) {
  const size = o.kind === 'calorimeter' ? `${o.showers} sh` : `${o.muons} mu${o.physics === 'ideal' ? ' (ideal)' : ''}`
  const thr = o.kind === 'calorimeter' ? `${Math.round(o.showers_per_s)} showers/s` : `${Math.round(o.muons_per_s)} muons/s`
  const phases = Object.entries(o.phases_ms ?? {}).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')
  console.log(`${o.kind.padEnd(12)} ${size.padEnd(17)} ${String(o.threads).padStart(7)} ${o.step_ms.toFixed(1).padStart(9)} ms    ${thr.padEnd(21)} ${o.peak_rss_mb.toFixed(0).padStart(5)} MB  ${phases}`)
}
