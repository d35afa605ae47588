// The command registry: each command lives in its own file and is listed here once.
import type { Command } from '../command'
import { bench } from './bench'
import { calo } from './calo'
import { ensemble } from './ensemble'
import { explain } from './explain'
import { front } from './front'
import { infer } from './infer'
import { optimize } from './optimize'
import { scatter } from './scatter'
import { sweep } from './sweep'
import { validate } from './validate'

export const commands: Command[] = [infer, optimize, bench, calo, scatter, sweep, validate, explain, ensemble, front]
