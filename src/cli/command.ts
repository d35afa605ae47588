import type { Flags } from './args'

export interface CommandContext {
  flags: Flags
  json: boolean
  /** progress and messages: stderr only */
  log: (msg: string) => void
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
  run(ctx: CommandContext): Promise<CommandResult>
}
