#!/usr/bin/env node
// `npm run bench:baseline [-- COMMIT]`: today's one-thread steps side by side with an older commit's, both bundled
// by today's scripts/build-cli.mjs (the older `npm run bench` timed a tsx run, about a tenth slower), in alternating
// pairs so that the machine's drift falls on both. The default commit is the last one before issue 13's physics
// (energy loss, the single-scattering tail, panels with material, hadron showers): its step solved the predicted X0
// map on every step. Each pair's ratio is now/then; a row reports the medians.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from './median.mjs'
import { buildCli, ROOT } from './build-cli.mjs'

const commit = process.argv[2] ?? 'b761a38'
const PAIRS = 3
// [label, arguments of the older CLI (it has no --threads or physics flags), arguments of today's]
const scenarios = [
  ['muography 100000, X0 map every step', ['--muons', '100000', '--repeats', '5'], ['--threads', '1']],
  ['muography 100000, no X0 map', ['--muons', '100000', '--repeats', '5'], ['--threads', '1', '--x0-map', 'off']],
  ['muography 100000, ideal physics', ['--muons', '100000', '--repeats', '5'], ['--threads', '1', '--physics', 'ideal']],
  ['calorimeter 20000 showers', ['--kind', 'calorimeter', '--showers', '20000', '--repeats', '7'], ['--threads', '1']],
]

const git = (...args) => {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`)
  return r.stdout.trim()
}
const tree = join(mkdtempSync(join(tmpdir(), 'dds-baseline-')), 'tree')
git('worktree', 'add', '--detach', tree, commit)
try {
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'))
  copyFileSync(join(ROOT, 'scripts', 'build-cli.mjs'), join(tree, 'scripts', 'build-cli.mjs'))
  const then = spawnSync(process.execPath, [join(tree, 'scripts', 'build-cli.mjs')], { cwd: tree, stdio: 'inherit' })
  if (then.status !== 0) throw new Error(`building ${commit}'s CLI failed`)
  const clis = { then: join(tree, 'build', 'cli', 'dds.mjs'), now: await buildCli() }
  const stepMs = (cli, args) => {
    const r = spawnSync(process.execPath, [cli, 'bench', ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    if (r.status !== 0) throw new Error(`bench ${args.join(' ')} failed with exit code ${r.status}`)
    return JSON.parse(r.stdout.trim().split('\n').pop()).step_ms
  }
  const rows = []
  for (const [label, base, extra] of scenarios) {
    const pairs = []
    for (let k = 0; k < PAIRS; k++) {
      const t = stepMs(clis.then, base), n = stepMs(clis.now, [...base, ...extra])
      console.log(`${label}: ${commit} ${t.toFixed(0)} ms, now ${n.toFixed(0)} ms`)
      pairs.push([t, n])
    }
    rows.push([label, median(pairs.map((p) => p[0])), median(pairs.map((p) => p[1])), median(pairs.map((p) => p[1] / p[0]))])
  }
  console.log(`\none thread, medians of ${PAIRS} alternating pairs (each run the median of its steps)`)
  console.log(`${'scenario'.padEnd(38)} ${commit.padStart(10)}       now   now/${commit}`)
  for (const [label, t, n, r] of rows) console.log(`${label.padEnd(38)} ${t.toFixed(0).padStart(7)} ms ${n.toFixed(0).padStart(6)} ms   ${r.toFixed(2)}`)
} finally {
  git('worktree', 'remove', '--force', tree)
}
