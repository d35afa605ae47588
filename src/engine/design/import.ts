// The one way into the studio for a design that came from outside: a file the user picked or dropped, a share
// link, `cli validate`. Every guard runs here, in this order, and the first that fails reports:
//   size (MAX_DESIGN_BYTES, before anything is read or parsed) → UTF-8 → nesting depth (before JSON.parse) →
//   JSON syntax → prototype keys / non-finite numbers / array lengths (json-guard.ts) → format tag → version and
//   numbered migrations (migrations.ts) → kind → schema (zod) → cross-field checks incl. MAX_VOXELS (parse.ts).
// Nothing throws for bad input: the result is a design or a list of {path, message} errors. The caller's current
// design is never touched; replacing it with `result.design` is the caller's decision after `ok: true`.
import { MAX_DESIGN_BYTES, tooLargeError } from './json-guard'
import { parseDesignText, type ParseResult } from './parse'

export { FORBIDDEN_KEYS, MAX_ARRAY_LENGTH, MAX_DEPTH, MAX_DESIGN_BYTES, MAX_KEY_LENGTH } from './json-guard'
export { MAX_VOXELS, DESIGN_KINDS, formatErrors, type DesignError, type ParseResult } from './parse'

/** The size check alone, for a caller that knows a file's size before reading it: an error result, or null. */
export function designTooLarge(size: number, atLeast = false): ParseResult | null {
  return size > MAX_DESIGN_BYTES ? { ok: false, errors: [tooLargeError(size, 'the design file', atLeast)] } : null
}

/** Parse and validate design JSON text. Never throws. */
export function importDesignText(text: string): ParseResult {
  return parseDesignText(text)
}

/** Same, from raw bytes (a file's contents): the size is checked before decoding, and the bytes must be UTF-8. */
export function importDesignBytes(bytes: Uint8Array): ParseResult {
  const big = designTooLarge(bytes.byteLength)
  if (big) return big
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, errors: [{ path: '', message: 'not a text file: the contents are not valid UTF-8' }] }
  }
  return importDesignText(text)
}

/**
 * Same, from a File or Blob (file picker, drag and drop): a file over the limit is rejected from its size alone,
 * without reading it. Never rejects.
 */
export async function importDesignFile(file: Blob): Promise<ParseResult> {
  const big = designTooLarge(file.size)
  if (big) return big
  let buf: ArrayBuffer
  try {
    buf = await file.arrayBuffer()
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `could not read the file: ${e instanceof Error ? e.message : String(e)}` }] }
  }
  return importDesignBytes(new Uint8Array(buf))
}
