#!/usr/bin/env node
// Make a fresh clone runnable: `node scripts/setup.mjs [--browser]` (plain Node ESM, no dependencies).
//  - installs the npm packages (`npm ci` from package-lock.json, or `npm install` without a lockfile) when
//    node_modules is missing or older than the lockfile;
//  - builds the command line (`dds`, build/cli/dds.mjs) with scripts/build-cli.mjs when it is missing or older
//    than a source file under src/;
//  - with --browser, makes sure Debian's Chromium (package `chromium`) is at /usr/bin/chromium (or at
//    $CHROMIUM_PATH) for the Playwright tests, installing it with apt-get when running as root.
// Everything it says goes to stderr. When nothing is needed it only stats files.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readdirSync, statSync, utimesSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)
const wantBrowser = args.includes('--browser')
const unknown = args.filter((a) => a !== '--browser')
if (unknown.length) fail(`unknown argument(s): ${unknown.join(' ')} (usage: node scripts/setup.mjs [--browser])`, 2)

const say = (msg) => process.stderr.write(`setup: ${msg}\n`)

function fail(msg, code = 1) {
  process.stderr.write(`setup: error: ${msg}\n`)
  process.exit(code)
}

const mtime = (p) => { try { return statSync(p).mtimeMs } catch { return null } }

/** Run a command with stdout sent to stderr (so nothing pollutes a caller's stdout); exit on failure. */
function run(cmd, cmdArgs, opts = {}) {
  say(`running: ${[cmd, ...cmdArgs].join(' ')}`)
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: ['ignore', 2, 2], ...opts })
  if (r.error) fail(`could not start ${cmd}: ${r.error.message}`)
  if (r.status !== 0) fail(`${[cmd, ...cmdArgs].join(' ')} failed (exit ${r.status ?? r.signal})`)
}

/** npm itself: the one that runs us (npm start / npm test) when known, else `npm` from PATH. */
function npm(npmArgs) {
  const cli = process.env.npm_execpath
  if (cli && /npm-cli\.js$/.test(cli) && existsSync(cli)) run(process.execPath, [cli, ...npmArgs])
  else run(process.platform === 'win32' ? 'npm.cmd' : 'npm', npmArgs, { shell: process.platform === 'win32' })
}

function ensurePackages() {
  const lock = join(root, 'package-lock.json')
  const modules = join(root, 'node_modules')
  // npm (≥ 7) writes node_modules/.package-lock.json at the end of every install: its time is the install time
  const installedAt = mtime(join(modules, '.package-lock.json')) ?? mtime(modules)
  const lockAt = mtime(lock)
  const reference = lockAt ?? mtime(join(root, 'package.json'))
  let why = null
  if (installedAt === null) why = 'node_modules is missing'
  else if (reference !== null && installedAt < reference) why = `node_modules is older than ${lockAt !== null ? 'package-lock.json' : 'package.json'}`
  if (!why) return
  say(`${why}: installing packages (this takes a minute on a fresh machine)`)
  // npm 11 prints warnings about dependency install scripts it skips (esbuild, core-js): harmless here
  // the project's .npmrc makes npm silent (so that `npm run cli -- … --json` prints only JSON): ask for warnings
  if (lockAt !== null) npm(['ci', '--no-audit', '--no-fund', '--loglevel=warn'])
  else npm(['install', '--no-audit', '--no-fund', '--loglevel=warn'])
  // mark the install time explicitly, so the next run is a no-op even if npm wrote the lockfile last
  const marker = join(modules, '.package-lock.json')
  const now = new Date()
  try { utimesSync(existsSync(marker) ? marker : modules, now, now) } catch { /* best effort */ }
  say('packages installed')
}

/** the newest modification time of the files under dir (0 when there are none) */
function newest(dir) {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : (mtime(p) ?? 0))
  }
  return t
}

function ensureCli() {
  const bundle = join(root, 'build', 'cli', 'dds.mjs')
  const builtAt = mtime(bundle)
  const sources = Math.max(newest(join(root, 'src')), mtime(join(root, 'package.json')) ?? 0, mtime(join(root, 'scripts', 'build-cli.mjs')) ?? 0)
  if (builtAt !== null && builtAt >= sources) return
  say(builtAt === null ? 'building the command line (dds)' : 'the command line (dds) is older than its sources: rebuilding it')
  run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')])
}

function isExecutable(p) {
  try { accessSync(p, constants.X_OK); return statSync(p).isFile() } catch { return false }
}

function ensureChromium() {
  const custom = process.env.CHROMIUM_PATH
  if (custom) {
    if (isExecutable(custom)) return
    fail(`CHROMIUM_PATH=${custom} is not an executable file; unset it to use Debian's /usr/bin/chromium`)
  }
  const path = '/usr/bin/chromium'
  if (isExecutable(path)) return
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot) {
    fail(`Chromium is missing at ${path}. The end-to-end tests use Debian's package \`chromium\`: ` +
      'install it with `sudo apt-get update && sudo apt-get install -y chromium` (or point CHROMIUM_PATH at a Chromium binary), then run again.')
  }
  if (!isExecutable('/usr/bin/apt-get')) {
    fail(`Chromium is missing at ${path} and apt-get is not available: install the Debian package \`chromium\` (or set CHROMIUM_PATH).`)
  }
  say(`${path} is missing: installing the Debian package chromium`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  run('apt-get', ['update'], { env })
  run('apt-get', ['install', '-y', 'chromium'], { env })
  if (!isExecutable(path)) fail(`apt-get installed chromium but ${path} is still missing`)
  say('chromium installed')
}

ensurePackages()
ensureCli()
if (wantBrowser) ensureChromium()
