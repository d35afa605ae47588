#!/usr/bin/env node
// `npm run bench:ensemble`: the wall time of `ensemble --starts 4` (worker threads, as many at once as cores)
// next to one `optimize --threads 1` run of the same size, each timed from process start to exit. On a 2-core
// machine the target is a ratio of at most about 2.6; on 4 or more cores, little more than 1. Both run the
// bundled CLI (the package's `dds`), as `npm run bench` does.
// Usage: node scripts/bench-ensemble.mjs [--preset NAME] [--steps S] [--muons M] [--starts N]
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { buildCli } from './build-cli.mjs'

const { values: o } = parseArgs({
  options: { preset: { type: 'string', default: 'lead-in-beryllium' }, steps: { type: 'string', default: '20' }, muons: { type: 'string', default: '10000' }, starts: { type: 'string', default: '4' } },
})
const size = ['--preset', o.preset, '--steps', o.steps, '--muons', o.muons]

const cli = await buildCli()

function timed(args) {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const wall = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`${args[0]} failed with exit code ${r.status}`)
  return { wall, out: JSON.parse(r.stdout.trim().split('\n').pop()) }
}

const one = timed(['optimize', ...size, '--threads', '1'])
const ens = timed(['ensemble', ...size, '--starts', o.starts])
const result = {
  cores: availableParallelism(), preset: o.preset, steps: Number(o.steps), muons: Number(o.muons), starts: Number(o.starts),
  optimize_s: one.wall, ensemble_s: ens.wall, ensemble_threads: ens.out.threads, ratio: ens.wall / one.wall,
}
console.log(JSON.stringify(result))
console.log(`\n${result.cores} cores: one optimize run ${one.wall.toFixed(1)} s; ensemble of ${o.starts} on ${ens.out.threads} threads ${ens.wall.toFixed(1)} s; ratio ${result.ratio.toFixed(2)}`)
