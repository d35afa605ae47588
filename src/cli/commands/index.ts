// The command registry: each command lives in its own file and is listed here once.
import type { Command } from '../command'
import { bench } from './bench'
import { infer } from './infer'
import { optimize } from './optimize'

export const commands: Command[] = [infer, optimize, bench]
