import { readFileSync } from 'node:fs'
import { UsageError } from '../args'
import type { Command } from '../command'
import { parseDesignText } from '../../engine/design/parse'

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
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message
      throw new UsageError(`cannot read ${file}: ${why}`)
    }
    const r = parseDesignText(text)
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
