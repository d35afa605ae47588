import type { Flags } from './args'

export interface CommandContext {
  flags: Flags
  json: boolean
  /** progress and messages: stderr only */
  log: (msg: string) => void
  /** aborted on SIGTERM or SIGINT: a long command stops soon after and returns what it has */
  signal?: AbortSignal
}

/** What a command returns: the one JSON object printed with --json, and an exit code (0 unless stated). */
export interface CommandResult {
  output: Record<string, unknown>
  exitCode?: number
  /** human-readable summary printed without --json */
  text?: string
}

export interface Command {
  name: string
  usage: string
  summary: string
  /** more help for `dds NAME --help`, after the usage line and the summary */
  help?: string
  /** flags of this command that take no value (besides --json, --help, --force) */
  switches?: readonly string[]
  /** it watches ctx.signal: the first SIGTERM/SIGINT asks it to stop and report (others exit at once) */
  stoppable?: boolean
  run(ctx: CommandContext): Promise<CommandResult>
}
