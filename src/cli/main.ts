// Detector Design Studio command line: `npm run cli -- <command> [flags]`.
// With --json a command prints exactly one JSON object on stdout; progress goes to stderr.
// Bad input exits 2 with one clear line on stderr.
import { Flags, parseArgs, UsageError } from './args'
import { commands } from './commands/index'
import { isCliWorker, startWorker } from './worker-entry'

function usage(): string {
  return ['usage: npm run cli -- <command> [flags] [--json]', '', 'commands:',
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`)].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help') {
    process.stderr.write(usage() + '\n')
    return name ? 0 : 2
  }
  const cmd = commands.find((c) => c.name === name)
  if (!cmd) {
    process.stderr.write(`error: unknown command "${name}" (known: ${commands.map((c) => c.name).join(', ')})\n`)
    return 2
  }
  const flags = new Flags(parseArgs(rest))
  const json = flags.has('json')
  try {
    const res = await cmd.run({ flags, json, log: (m) => process.stderr.write(m + '\n') })
    if (json) process.stdout.write(JSON.stringify(res.output) + '\n')
    else process.stdout.write((res.text ?? JSON.stringify(res.output, null, 2)) + '\n')
    return res.exitCode ?? 0
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`)
      return 2
    }
    process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`)
    if (process.env.DDS_DEBUG) process.stderr.write(String((e as Error).stack) + '\n')
    return 1
  }
}

// a bundled CLI runs this same file in its worker threads (worker-pool.ts)
if (isCliWorker()) void startWorker()
else main(process.argv.slice(2)).then((code) => { process.exitCode = code })
