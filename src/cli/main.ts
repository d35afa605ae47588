// Detector Design Studio command line: `dds <command> [flags]` (or `npm run cli -- <command> [flags]`).
// With --json a command prints exactly one JSON object on stdout, a failure too ({"ok": false, "error": ...});
// progress goes to stderr. Bad input exits 2 with one clear line on stderr; a failed run exits 1.
import { Flags, parseArgs, UsageError } from './args'
import type { Command } from './command'
import { commands } from './commands/index'
import { isCliWorker, startWorker } from './worker-entry'
import { isKernelThread, startKernelThread } from './kernel-host'
import { VERSION } from './package-info'
import { logLine } from './progress'
import { startRun } from './provenance'

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const

function usage(): string {
  return [`dds ${VERSION}: Detector Design Studio on the command line`, '',
    'usage: dds <command> [flags] [--json]     (from a checkout: npm run cli -- <command> ...)',
    '       dds <command> --help | dds --version', '', 'commands:',
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`)].join('\n')
}

function commandHelp(c: Command): string {
  return [`usage: dds ${c.usage}`, '', c.summary, ...(c.help ? ['', c.help] : []),
    '', 'common flags: --json (one JSON object on stdout), -h/--help'].join('\n')
}

interface Failure { type: 'usage' | 'runtime'; message: string; exitCode: number }

function fail(f: Failure, json: boolean): number {
  process.stderr.write(`error: ${f.message}\n`)
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: { type: f.type, message: f.message, exit_code: f.exitCode } }) + '\n')
  return f.exitCode
}

/**
 * SIGTERM/SIGINT: a stoppable command has its signal aborted once (it stops and reports what it has), a second
 * signal exits at once; any other command exits at once.
 */
function onStopSignals(cmd: Command, ctl: AbortController): () => void {
  const handler = (sig: keyof typeof SIGNAL_CODES) => {
    if (!cmd.stoppable || ctl.signal.aborted) process.exit(SIGNAL_CODES[sig])
    logLine(`${sig}: stopping after the current step (send it again to quit at once)`)
    ctl.abort(sig)
  }
  const names = Object.keys(SIGNAL_CODES) as (keyof typeof SIGNAL_CODES)[]
  for (const s of names) process.on(s, handler)
  return () => { for (const s of names) process.off(s, handler) }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const [name, ...rest] = argv
  if (name === '--version' || name === '-V') {
    process.stdout.write(json ? JSON.stringify({ tool: 'dds', version: VERSION }) + '\n' : `dds ${VERSION}\n`)
    return 0
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined
    process.stdout.write((topic ? commandHelp(topic) : usage()) + '\n')
    return 0
  }
  if (!name || name.startsWith('-')) {
    process.stderr.write(usage() + '\n')
    return fail({ type: 'usage', message: 'give a command first (dds --help lists them)', exitCode: 2 }, json)
  }
  const cmd = commands.find((c) => c.name === name)
  if (!cmd) return fail({ type: 'usage', message: `unknown command "${name}" (known: ${commands.map((c) => c.name).join(', ')})`, exitCode: 2 }, json)
  let flags: Flags
  try {
    flags = new Flags(parseArgs(rest, cmd.switches))
  } catch (e) {
    return fail({ type: 'usage', message: (e as Error).message, exitCode: 2 }, json)
  }
  if (flags.has('help')) {
    process.stdout.write(commandHelp(cmd) + '\n')
    return 0
  }
  const ctl = new AbortController()
  const release = onStopSignals(cmd, ctl)
  const record = startRun(name)
  try {
    const res = await cmd.run({ flags, json, log: (m) => logLine(m), signal: ctl.signal })
    const output = { ...res.output, provenance: record.finish(res.output) }
    if (json) process.stdout.write(JSON.stringify(output) + '\n')
    else process.stdout.write((res.text ?? JSON.stringify(output, null, 2)) + '\n')
    const stoppedBy = ctl.signal.reason as keyof typeof SIGNAL_CODES | undefined
    return res.exitCode ?? (stoppedBy ? SIGNAL_CODES[stoppedBy] : 0)
  } catch (e) {
    if (e instanceof UsageError) return fail({ type: 'usage', message: e.message, exitCode: 2 }, json)
    if (process.env.DDS_DEBUG) process.stderr.write(String((e as Error).stack) + '\n')
    return fail({ type: 'runtime', message: (e as Error).message ?? String(e), exitCode: 1 }, json)
  } finally {
    release()
  }
}

// `npm run cli` runs in the package folder: paths on its command line are relative to where the user typed it
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD)
// a bundled CLI runs this same file in its worker threads (worker-pool.ts, kernel-host.ts)
if (isCliWorker()) void startWorker()
else if (isKernelThread()) startKernelThread()
else main(process.argv.slice(2)).then((code) => { process.exitCode = code })
