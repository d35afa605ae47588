import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../args'
import type { Command } from '../command'
import { noteInput } from '../provenance'
import { designTooLarge, importDesignBytes, MAX_DESIGN_BYTES } from '../../engine/design/import'

/** a file's bytes, reading at most one byte past `max` (a huge file, or /dev/zero, is never read whole) */
function readAtMost(file: string, max: number): { bytes: Uint8Array; size: number; atLeast: boolean } {
  const fd = openSync(file, 'r')
  try {
    const st = fstatSync(fd)
    const buf = Buffer.alloc(max + 1)
    let n = 0
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r
    const regular = st.isFile() && st.size >= n
    return { bytes: buf.subarray(0, n), size: regular ? st.size : n, atLeast: !regular }
  } finally {
    closeSync(fd)
  }
}

// validate FILE: exit 0 with {"ok": true, "kind", "name"}; an invalid design exits 1 with
// {"ok": false, "errors": [{"path", "message"}]}; an unreadable file is a usage error (exit 2, one line on stderr).
export const validate: Command = {
  name: 'validate',
  usage: 'validate FILE --json',
  summary: 'check a design file against the schema; list every problem with its JSON path',
  async run({ flags }) {
    flags.assertAllUsed()
    const files = flags.positionals
    if (files.length === 0) throw new UsageError('validate needs a design file: validate FILE [--json]')
    if (files.length > 1) throw new UsageError(`validate takes one file, got ${files.length}: ${files.join(' ')}`)
    const file = files[0]
    let read: ReturnType<typeof readAtMost>
    try {
      read = readAtMost(file, MAX_DESIGN_BYTES)
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message
      throw new UsageError(`cannot read ${file}: ${why}`)
    }
    const r = designTooLarge(read.size, read.atLeast) ?? importDesignBytes(read.bytes)
    noteInput({ file: resolve(file) }, read.bytes, () => (r.ok ? r.design.seed : null))
    if (r.ok) {
      return {
        output: { ok: true, kind: r.design.kind, name: r.design.name },
        text: `${file}: ok (${r.design.kind}, "${r.design.name}")`,
      }
    }
    return {
      output: { ok: false, errors: r.errors.map((e) => ({ path: e.path, message: e.message })) },
      exitCode: 1,
      text: [`${file}: ${r.errors.length} problem${r.errors.length > 1 ? 's' : ''}`,
        ...r.errors.map((e) => `  ${e.path || '(root)'}: ${e.message}`)].join('\n'),
    }
  },
}
