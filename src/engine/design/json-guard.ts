// Structural guards for untrusted design JSON (files, share links, anything the user loads). Each check lives here
// once; parse.ts calls them (readJsonText before the schema for text, checkJsonValue for every value), and
// import.ts is the entry point the UI, the CLI and the share-link decoder use. Nothing here throws for bad input.
import type { DesignError } from './parse'

/** largest design file accepted, in bytes of UTF-8, checked before anything is parsed */
export const MAX_DESIGN_BYTES = 5_000_000
/** deepest nesting of objects and arrays (a real design is at most 5 deep) */
export const MAX_DEPTH = 32
/** longest array (the largest the schema allows is `volume.voxels`, 1 000 000 entries) */
export const MAX_ARRAY_LENGTH = 1_000_000
/**
 * Keys that would reach or shadow an object's prototype if the value were ever merged or assigned key by key:
 * `prototype` and every property of Object.prototype. No field of the schema has one of these names.
 */
export const FORBIDDEN_KEYS: readonly string[] = [
  '__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
  'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf',
]
/** longest object key (the schema's longest is far shorter; a metrics name is at most 64 characters) */
export const MAX_KEY_LENGTH = 256
/** stop listing structural problems after this many (the file is rejected either way) */
const MAX_ERRORS = 20
/** values visited at most: 5 MB of JSON holds fewer than 2.5 M; only a shared or cyclic object graph gets here */
const MAX_VALUES = 5_000_000

export type JsonRead = { ok: true; value: unknown } | { ok: false; errors: DesignError[] }

/** A short description of a value for an error message: never the whole of a long string, array or object. */
export function describeValue(v: unknown, missing = 'nothing'): string {
  if (v === undefined) return missing
  if (Array.isArray(v)) return `an array of ${v.length} entr${v.length === 1 ? 'y' : 'ies'}`
  if (v === null || typeof v !== 'object') {
    const s = typeof v === 'string' ? JSON.stringify(v) : String(v)
    return s.length > 42 ? `${s.slice(0, 40)}…${typeof v === 'string' ? '"' : ''}` : s
  }
  return 'an object'
}

export function formatBytes(n: number): string {
  const f = (x: number) => x.toFixed(1).replace(/\.0$/, '')
  if (n >= 1e9) return `${f(n / 1e9)} GB`
  if (n >= 1e6) return `${f(n / 1e6)} MB`
  if (n >= 1e3) return `${f(n / 1e3)} kB`
  return `${n} bytes`
}

/** the size-limit error, shared by text, bytes, files and share links; `atLeast`: the exact size is unknown */
export function tooLargeError(bytes: number, what = 'the design file', atLeast = false): DesignError {
  const limit = `${formatBytes(MAX_DESIGN_BYTES)} (${MAX_DESIGN_BYTES} bytes)`
  return {
    path: '',
    message: atLeast
      ? `${what} is larger than the limit of ${limit}`
      : `${what} is ${formatBytes(bytes)} (${bytes} bytes); the limit is ${limit}`,
  }
}

/** UTF-8 length of a string, counting no further than `stop` */
function utf8Length(s: string, stop: number): number {
  let n = 0
  for (let i = 0; i < s.length && n <= stop; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++ } // surrogate pair: one 4-byte character
    else n += 3
  }
  return n
}

function lineCol(text: string, index: number): string {
  let line = 1
  let start = 0
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) { line++; start = i + 1 }
  return `line ${line}, column ${index - start + 1}`
}

/** Depth of brackets outside strings, without parsing: rejects a deeply nested file before JSON.parse builds it. */
function scanDepth(text: string): DesignError | null {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) { // { [
      if (++depth > MAX_DEPTH) {
        return { path: '', message: `nested deeper than ${MAX_DEPTH} levels (at ${lineCol(text, i)}); a design file is never this deep` }
      }
    } else if (c === 125 || c === 93) depth-- // } ]
  }
  return null
}

function pathOf(path: readonly (string | number)[]): string {
  let s = ''
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p
  return s
}

/**
 * Walk a parsed value: prototype keys, non-finite numbers, over-long arrays and over-deep nesting, each reported at
 * its JSON path. Applies to text after JSON.parse and to objects handed in directly (e.g. through postMessage).
 */
export function checkJsonValue(value: unknown): DesignError[] {
  const errors: DesignError[] = []
  const path: (string | number)[] = []
  let values = 0
  const done = () => errors.length >= MAX_ERRORS || values > MAX_VALUES
  const visit = (v: unknown, depth: number): void => {
    if (done()) return
    if (++values > MAX_VALUES) {
      errors.push({ path: pathOf(path), message: `more than ${MAX_VALUES} values; a design file is far smaller` })
      return
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        errors.push({
          path: pathOf(path),
          message: Number.isNaN(v) ? 'not a number (NaN)' : `number out of range: ${v > 0 ? '' : '-'}Infinity (a literal such as 1e999 is too large for a 64-bit float)`,
        })
      }
      return
    }
    if (typeof v !== 'object' || v === null) return
    if (depth >= MAX_DEPTH) {
      errors.push({ path: pathOf(path), message: `nested deeper than ${MAX_DEPTH} levels; a design file is never this deep` })
      return
    }
    if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY_LENGTH) {
        errors.push({ path: pathOf(path), message: `array of ${v.length} entries exceeds the limit of ${MAX_ARRAY_LENGTH}` })
        return
      }
      for (let i = 0; i < v.length && !done(); i++) {
        path.push(i)
        visit(v[i], depth + 1)
        path.pop()
      }
      return
    }
    for (const k of Object.keys(v)) {
      if (done()) return
      if (k.length > MAX_KEY_LENGTH) {
        errors.push({ path: pathOf(path), message: `a key of ${k.length} characters (${describeValue(k)}); the limit is ${MAX_KEY_LENGTH}` })
        continue
      }
      path.push(k)
      if (FORBIDDEN_KEYS.includes(k)) {
        errors.push({ path: pathOf(path), message: `forbidden key "${k}" (a built-in property name: it could change an object's prototype or behaviour)` })
      } else {
        visit((v as Record<string, unknown>)[k], depth + 1)
      }
      path.pop()
    }
  }
  visit(value, 0)
  return errors
}

/** Text → JSON value, with the size limit (before parsing), the nesting limit (before parsing) and a syntax check. */
export function readJsonText(text: string): JsonRead {
  if (typeof text !== 'string') return { ok: false, errors: [{ path: '', message: 'a design file must be text' }] }
  // a string of n UTF-16 units is at least n bytes of UTF-8; count exactly up to a point, then stop
  const bytes = utf8Length(text, 8 * MAX_DESIGN_BYTES)
  if (bytes > MAX_DESIGN_BYTES) return { ok: false, errors: [tooLargeError(bytes, 'the design file', bytes > 8 * MAX_DESIGN_BYTES)] }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // a byte-order mark some editors write
  const deep = scanDepth(text)
  if (deep) return { ok: false, errors: [deep] }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }] }
  }
}
