// The CLI's flags: Node's util.parseArgs splits the words (--name value, --name=value, -h, `--` ends the flags),
// then each flag without an inline value takes the next word as its value unless it is a known switch
// (--json, --help, --force, --version, or one a command declares). Every malformed value is a UsageError
// (exit code 2, one line on stderr).
import { parseArgs as nodeParseArgs } from 'node:util'

export class UsageError extends Error {}

/** flags that never take a value, for every command */
export const SWITCHES: readonly string[] = ['json', 'help', 'force', 'version']

export interface ParsedArgs {
  positionals: string[]
  /** the last value of each flag (true for a switch) */
  flags: Map<string, string | true>
  /** every value of each flag, in order (a flag may be repeated: --set A=1 --set B=2) */
  all: Map<string, (string | true)[]>
}

/** a negative number after a flag is its value, not a short option: `--z -0.5` */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/

export function parseArgs(argv: string[], switches: readonly string[] = []): ParsedArgs {
  const isSwitch = new Set([...SWITCHES, ...switches])
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--') && a.length > 2 && !a.includes('=') && !isSwitch.has(a.slice(2)) && NEGATIVE_NUMBER.test(argv[i + 1] ?? '')) {
      joined.push(`${a}=${argv[++i]}`)
    } else joined.push(a)
  }
  const { tokens } = nodeParseArgs({
    args: joined, strict: false, allowPositionals: true, tokens: true,
    options: { help: { type: 'boolean', short: 'h' } },
  })
  const positionals: string[] = []
  const all = new Map<string, (string | true)[]>()
  const add = (name: string, v: string | true) => { all.set(name, [...(all.get(name) ?? []), v]) }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t.kind === 'positional') positionals.push(t.value)
    else if (t.kind === 'option') {
      if (t.rawName.startsWith('-') && !t.rawName.startsWith('--') && t.name !== 'help') {
        throw new UsageError(`unknown flag ${t.rawName} (flags are spelled --name)`)
      }
      if (t.value !== undefined) add(t.name, t.value)
      else if (!isSwitch.has(t.name) && tokens[i + 1]?.kind === 'positional') add(t.name, (tokens[++i] as { value: string }).value)
      else add(t.name, true)
    }
  }
  const flags = new Map<string, string | true>()
  for (const [k, vs] of all) flags.set(k, vs[vs.length - 1])
  return { positionals, flags, all }
}

export class Flags {
  private used = new Set<string>()
  constructor(private readonly parsed: ParsedArgs) {}

  get positionals(): string[] { return this.parsed.positionals }

  has(name: string): boolean {
    this.used.add(name)
    return this.parsed.flags.has(name)
  }

  string(name: string): string | undefined
  string(name: string, fallback: string): string
  string(name: string, fallback?: string): string | undefined {
    this.used.add(name)
    const vs = this.parsed.all.get(name)
    if (vs && vs.length > 1) throw new UsageError(`--${name} is given ${vs.length} times; give it once`)
    const v = vs?.[0]
    if (v === undefined) return fallback
    if (v === true) throw new UsageError(`--${name} needs a value`)
    return v
  }

  /** every value of a repeatable flag, in order ([] when absent) */
  strings(name: string): string[] {
    this.used.add(name)
    return (this.parsed.all.get(name) ?? []).map((v) => {
      if (v === true) throw new UsageError(`--${name} needs a value`)
      return v
    })
  }

  number(name: string, fallback: number, opts?: { min?: number; max?: number; integer?: boolean }): number
  number(name: string, fallback?: undefined, opts?: { min?: number; max?: number; integer?: boolean }): number | undefined
  number(name: string, fallback?: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const s = this.string(name)
    if (s === undefined) return fallback
    const v = Number(s)
    if (s.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name}: "${s}" is not a number`)
    if (opts.integer && !Number.isInteger(v)) throw new UsageError(`--${name}: "${s}" is not an integer`)
    if (opts.min !== undefined && v < opts.min) throw new UsageError(`--${name}: ${v} is below the minimum ${opts.min}`)
    if (opts.max !== undefined && v > opts.max) throw new UsageError(`--${name}: ${v} is above the maximum ${opts.max}`)
    return v
  }

  numberList(name: string, fallback: number[]): number[] {
    const s = this.string(name)
    if (s === undefined) return fallback
    return s.split(',').map((t) => {
      const v = Number(t)
      if (t.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name}: "${t}" is not a number`)
      return v
    })
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const s = this.string(name)
    if (s === undefined) return fallback
    if (!(choices as readonly string[]).includes(s)) throw new UsageError(`--${name}: "${s}" is not one of ${choices.join(', ')}`)
    return s as T
  }

  /** reject flags that no accessor asked for */
  assertAllUsed(): void {
    for (const k of this.parsed.flags.keys()) {
      if (!this.used.has(k) && k !== 'json') throw new UsageError(`unknown flag --${k}`)
    }
  }
}
