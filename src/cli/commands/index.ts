// The command registry: each command lives in its own file and is listed here once.
import type { Command } from '../command'

export const commands: Command[] = []
