// Property-based fuzzing of the importer and of `cli validate`: mutated preset files (fields deleted, types changed,
// NaN-ish and huge numbers, strings for numbers, prototype keys, deep nesting, huge arrays, random bytes, cuts)
// must each end as a valid design or a clear error: nothing throws, hangs or crashes.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { Flags, parseArgs } from '../../cli/args'
import { validate } from '../../cli/commands/validate'
import { importDesignBytes, importDesignText, MAX_DESIGN_BYTES, type ParseResult } from './import'
import { parseDesign } from './parse'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PRESET_DIR = join(ROOT, 'public', 'presets')
const PRESETS = readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
  .map((f) => readFileSync(join(PRESET_DIR, f), 'utf8'))
/** the slowest a single import may be (a 5 MB file parses in well under a second) */
const CASE_MS = 3000

type Case = { label: string; text: string } | { label: string; bytes: Uint8Array }
type Json = unknown

// ---- mutations of the parsed value -----------------------------------------------------------------------------

/** numbers that JSON.stringify cannot write are spliced in as raw literals through a marker */
const RAW = (literal: string) => `@@RAW:${literal}@@`
const unraw = (s: string) => s.replace(/"@@RAW:([^@"]*)@@"/g, '$1')

const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    RAW('1e999'), RAW('-1e999'), RAW('1e-999'), RAW('-0'), RAW('1E+308'), 1e308, -1e308, 5e-324, 2 ** 53 + 1, -1, 0, 0.1 + 0.2,
    '', 'NaN', 'Infinity', '1e999', '0x10', ' 1', 'null', null, true, false, [], {}, [[]], 'muography', 'calorimeter',
    'lead', 'kryptonite', 'x'.repeat(10_000), '\u0000', '\ud800', '<script>alert(1)</script>',
    { __proto__: null, polluted: true } as Json,
  ),
  fc.double(), // NaN and ±Infinity become null in JSON.stringify: a type error either way
  fc.integer(),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
)

type Op =
  | { t: 'delete' }
  | { t: 'set'; v: Json }
  | { t: 'rename'; to: string }
  | { t: 'toString' }
  | { t: 'wrap'; depth: number }
  | { t: 'hugeArray'; n: number; v: Json }
  | { t: 'duplicate' }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Op>({ t: 'delete' }) },
  { weight: 5, arbitrary: nastyValue.map((v): Op => ({ t: 'set', v })) },
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'colour', '', 'kind', 'Kind', 'k'.repeat(300)).map((to): Op => ({ t: 'rename', to })) },
  { weight: 2, arbitrary: fc.constant<Op>({ t: 'toString' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((depth): Op => ({ t: 'wrap', depth })) },
  { weight: 1, arbitrary: fc.record({ n: fc.constantFrom(65, 1001, 100_001, 1_000_001), v: fc.constantFrom<Json>(0, 'air', null) }).map((r): Op => ({ t: 'hugeArray', ...r })) },
  { weight: 1, arbitrary: fc.constant<Op>({ t: 'duplicate' }) },
)

/** every path into a value (objects and arrays), the root included */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix)
  if (Array.isArray(v)) v.forEach((x, i) => { if (i < 50 || i % 97 === 0) paths(x, [...prefix, i], out) })
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out)
  return out
}

function applyOp(root: Json, path: (string | number)[], o: Op): Json {
  if (path.length === 0) {
    if (o.t === 'set') return o.v
    if (o.t === 'toString') return JSON.stringify(root)
    if (o.t === 'wrap') { let v = root; for (let i = 0; i < o.depth; i++) v = [v]; return v }
    return root
  }
  const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], root) as Record<string | number, Json>
  const key = path[path.length - 1]
  const cur = parent[key]
  switch (o.t) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key]
      break
    case 'set': parent[key] = o.v; break
    case 'toString': parent[key] = typeof cur === 'object' ? JSON.stringify(cur) : String(cur); break
    case 'wrap': { let v = cur; for (let i = 0; i < o.depth; i++) v = [v]; parent[key] = v; break }
    case 'hugeArray': parent[key] = new Array(o.n).fill(o.v); break
    case 'duplicate': parent[key] = Array.isArray(cur) ? [...cur, ...cur] : [cur, cur]; break
    case 'rename':
      if (!Array.isArray(parent)) {
        delete parent[key]
        Object.defineProperty(parent, o.to, { value: cur, enumerable: true, writable: true, configurable: true })
      }
      break
  }
  return root
}

const valueCase: fc.Arbitrary<Case> = fc
  .record({ preset: fc.nat(PRESETS.length - 1), ops: fc.array(fc.record({ at: fc.nat(), op }), { minLength: 1, maxLength: 4 }) })
  .map(({ preset, ops }) => {
    let v: Json = JSON.parse(PRESETS[preset])
    const labels: string[] = []
    for (const { at, op: o } of ops) {
      const all = paths(v)
      const p = all[at % all.length]
      labels.push(`${o.t}@${p.join('.')}`)
      v = applyOp(v, p, o)
    }
    return { label: labels.join(' '), text: unraw(JSON.stringify(v)) }
  })

// ---- mutations of the text ---------------------------------------------------------------------------------------

const nastyLiteral = fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '-', '1.', '.5', '01', '0x1F', '1e', '"1"', 'null', '[]', '{}', '1e-999', '9'.repeat(400))

const textCase: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ p: fc.nat(PRESETS.length - 1), cut: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ p, cut }) => ({ label: `truncate@${cut.toFixed(3)}`, text: PRESETS[p].slice(0, Math.floor(PRESETS[p].length * cut)) })),
  fc.record({ p: fc.nat(PRESETS.length - 1), at: fc.double({ min: 0, max: 1, noNaN: true }), s: fc.string({ unit: 'binary', maxLength: 20 }) })
    .map(({ p, at, s }) => { const i = Math.floor(PRESETS[p].length * at); return { label: `insert ${JSON.stringify(s)}`, text: PRESETS[p].slice(0, i) + s + PRESETS[p].slice(i) } }),
  fc.record({ p: fc.nat(PRESETS.length - 1), at: fc.double({ min: 0, max: 1, noNaN: true }), n: fc.integer({ min: 1, max: 200 }) })
    .map(({ p, at, n }) => { const i = Math.floor(PRESETS[p].length * at); return { label: `delete ${n}`, text: PRESETS[p].slice(0, i) + PRESETS[p].slice(i + n) } }),
  fc.record({ p: fc.nat(PRESETS.length - 1), k: fc.nat(), lit: nastyLiteral })
    .map(({ p, k, lit }) => {
      let i = 0
      const nums = (PRESETS[p].match(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g) ?? []).length
      const target = nums ? k % nums : 0
      return { label: `number→${lit}`, text: PRESETS[p].replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g, (m) => (i++ === target ? lit : m)) }
    }),
  fc.record({ p: fc.nat(PRESETS.length - 1), key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'valueOf', '__defineGetter__'), nth: fc.nat(20) })
    .map(({ p, key, nth }) => {
      let i = 0
      return { label: `${key} key`, text: PRESETS[p].replace(/\{/g, (m) => (i++ === nth ? `{"${key}": {"polluted": true}, ` : m)) }
    }),
  fc.record({ p: fc.nat(PRESETS.length - 1), depth: fc.integer({ min: 1, max: 300_000 }) })
    .map(({ p, depth }) => ({ label: `nest ${depth}`, text: `${'['.repeat(depth)}${PRESETS[p]}${']'.repeat(depth)}` })),
  fc.record({ p: fc.nat(PRESETS.length - 1), pad: fc.constantFrom(10, 1000, MAX_DESIGN_BYTES) })
    .map(({ p, pad }) => ({ label: `pad ${pad}`, text: PRESETS[p].replace(/}\s*$/, `${' '.repeat(pad)}}`) })),
  fc.nat(PRESETS.length - 1).map((p) => ({ label: 'twice', text: PRESETS[p] + PRESETS[p] })),
)

// ---- raw bytes ---------------------------------------------------------------------------------------------------

const bytesCase: fc.Arbitrary<Case> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => ({ label: `random ${bytes.length} bytes`, bytes })),
  fc.record({ p: fc.nat(PRESETS.length - 1), flips: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.nat(255) }), { minLength: 1, maxLength: 8 }) })
    .map(({ p, flips }) => {
      const bytes = new TextEncoder().encode(PRESETS[p])
      for (const f of flips) bytes[Math.floor(f.at * (bytes.length - 1))] = f.b
      return { label: `${flips.length} byte flips`, bytes }
    }),
)

const anyCase: fc.Arbitrary<Case> = fc.oneof(
  { weight: 6, arbitrary: valueCase },
  { weight: 4, arbitrary: textCase },
  { weight: 1, arbitrary: bytesCase },
  { weight: 1, arbitrary: fc.nat(PRESETS.length - 1).map((p) => ({ label: 'untouched', text: PRESETS[p] })) },
)

const bytesOf = (c: Case) => ('bytes' in c ? c.bytes : new TextEncoder().encode(c.text))

/** the contract: a design that re-validates to itself, or ≥ 1 error with a string path and a non-empty message */
function checkResult(r: ParseResult, label: string): void {
  if (r.ok) {
    // compared as JSON: a -0 in the file is accepted and written back as 0
    const again = parseDesign(JSON.parse(JSON.stringify(r.design)))
    expect(JSON.stringify(again.ok ? again.design : again.errors), label).toBe(JSON.stringify(r.design))
    return
  }
  expect(r.errors.length, label).toBeGreaterThanOrEqual(1)
  for (const e of r.errors) {
    expect(typeof e.path, label).toBe('string')
    expect(typeof e.message, label).toBe('string')
    expect(e.message.trim().length, label).toBeGreaterThan(0)
    expect(e.message.length, label).toBeLessThan(400) // never the whole of a hostile value
    expect(e.message, label).not.toMatch(/\[object Object\]|^undefined|at .*\.ts:\d+/)
  }
}

const tally = new Map<string, number>()
function count(r: ParseResult): void {
  const key = r.ok ? 'ok' : `${r.errors[0].path.replace(/\[\d+\]/g, '[]') || '(root)'}: ${r.errors[0].message.replace(/\d+/g, 'N').slice(0, 70)}`
  tally.set(key, (tally.get(key) ?? 0) + 1)
}

describe('importer fuzz', () => {
  test('600 mutated files: a valid design or a clear error, never an exception, each in under 3 s', () => {
    fc.assert(
      fc.property(anyCase, (c) => {
        const t0 = performance.now()
        let r: ParseResult | undefined
        expect(() => { r = 'bytes' in c ? importDesignBytes(c.bytes) : importDesignText(c.text) }, c.label).not.toThrow()
        expect(performance.now() - t0, c.label).toBeLessThan(CASE_MS)
        checkResult(r!, c.label)
        count(r!)
        // bytes and text agree
        if ('text' in c && c.text.length < 100_000 && !/[\ud800-\udfff]/.test(c.text)) {
          expect(importDesignBytes(bytesOf(c)).ok, c.label).toBe(r!.ok)
        }
      }),
      { numRuns: 600, seed: 20250101, endOnFailure: true },
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(tally.get('ok') ?? 0).toBeGreaterThan(10) // the mutations are not all fatal
    expect(tally.size).toBeGreaterThan(30) // and they reach many different checks
    if (process.env.DDS_FUZZ_TALLY) console.log([...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n'))
  })
})

// ---- the CLI -----------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'dds-fuzz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const cases = fc.sample(anyCase, { numRuns: 500, seed: 7 })
const files = cases.map((c, i) => {
  const f = join(dir, `case-${i}.json`)
  writeFileSync(f, bytesOf(c))
  return f
})

interface Run { code: number; stdout: string; stderr: string }
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

describe('cli validate fuzz', () => {
  test('validate.run() in-process on 500 mutated files: exit 0 or 1, one JSON-able object, the importer\'s verdict', async () => {
    for (let i = 0; i < files.length; i++) {
      const label = `case-${i} ${cases[i].label}`
      const flags = new Flags(parseArgs([files[i], '--json']))
      const res = await validate.run({ flags, json: true, log: () => {} })
      const out = JSON.parse(JSON.stringify(res.output)) as { ok: boolean; kind?: string; name?: string; errors?: { path: string; message: string }[] }
      const direct = importDesignBytes(bytesOf(cases[i]))
      expect(out.ok, label).toBe(direct.ok)
      if (out.ok) {
        expect(res.exitCode ?? 0, label).toBe(0)
        expect(Object.keys(out).sort(), label).toEqual(['kind', 'name', 'ok'])
      } else {
        expect(res.exitCode, label).toBe(1)
        expect(out.errors!.length, label).toBeGreaterThanOrEqual(1)
        for (const e of out.errors!) expect(Object.keys(e).sort(), label).toEqual(['message', 'path'])
        expect(out.errors, label).toEqual(direct.ok ? [] : direct.errors)
      }
    }
  })

  test('`validate FILE --json` as a child process on 30 of them: exit 0/1, one JSON line, nothing on stderr', async () => {
    const pick = Array.from({ length: 30 }, (_, k) => Math.floor((k * files.length) / 30))
    const runs: Run[] = []
    for (let k = 0; k < pick.length; k += 3) runs.push(...await Promise.all(pick.slice(k, k + 3).map((i) => cli('validate', files[i], '--json'))))
    runs.forEach((r, k) => {
      const i = pick[k]
      const label = `case-${i} ${cases[i].label}: ${r.stderr.slice(0, 200)}`
      expect([0, 1], label).toContain(r.code)
      expect(r.stdout.endsWith('\n') && r.stdout.trim().split('\n').length === 1, label).toBe(true)
      const out = JSON.parse(r.stdout) as { ok: boolean }
      expect(out.ok, label).toBe(r.code === 0)
      expect(out.ok, label).toBe(importDesignBytes(bytesOf(cases[i])).ok)
      expect(r.stderr, label).toBe('')
    })
  })
})
