import { describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from './args'

const flags = (argv: string[], switches: string[] = []) => new Flags(parseArgs(argv, switches))

describe('CLI flags', () => {
  test('--json is a switch: the word after it stays a positional', () => {
    const f = flags(['--json', 'x.json'])
    expect(f.positionals).toEqual(['x.json'])
    expect(f.has('json')).toBe(true)
  })

  test('values: --name value, --name=value, negative numbers, and a command\'s own switches', () => {
    const f = flags(['--steps', '5', '--budget=20', '--z', '-0.5', '--force', 'DIR', '--tail', 'more'], ['tail'])
    expect(f.number('steps')).toBe(5)
    expect(f.number('budget')).toBe(20)
    expect(f.number('z')).toBe(-0.5)
    expect(f.has('force')).toBe(true)
    expect(f.has('tail')).toBe(true)
    expect(f.positionals).toEqual(['DIR', 'more'])
    f.assertAllUsed()
  })

  test('a repeatable flag gives every value in order; a single-valued one given twice is an error', () => {
    const f = flags(['--set', 'a=1,2', '--set', 'b=x'])
    expect(f.strings('set')).toEqual(['a=1,2', 'b=x'])
    expect(() => flags(['--steps', '5', '--steps', '6']).number('steps')).toThrow(/given 2 times/)
  })

  test('-h is --help; other short flags, a flag without its value, and unknown flags are usage errors', () => {
    expect(flags(['-h']).has('help')).toBe(true)
    expect(() => flags(['-x'])).toThrow(UsageError)
    expect(() => flags(['--out']).string('out')).toThrow(/needs a value/)
    expect(() => flags(['--frobnicate', '1']).assertAllUsed()).toThrow(/unknown flag --frobnicate/)
  })

  test('words after -- are positionals, even ones that look like flags', () => {
    expect(flags(['--', '--odd-name.json']).positionals).toEqual(['--odd-name.json'])
  })
})
