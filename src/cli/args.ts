// Minimal flag parser for the CLI: --name value, --name=value, --flag; positionals kept in order.
// Every malformed value becomes a UsageError (exit code 2, one line on stderr).

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[]
  flags: Map<string, string | true>
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1))
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(a.slice(2), argv[++i])
      else flags.set(a.slice(2), true)
    } else positionals.push(a)
  }
  return { positionals, flags }
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
    const v = this.parsed.flags.get(name)
    if (v === undefined) return fallback
    if (v === true) throw new UsageError(`--${name} needs a value`)
    return v
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
