// `--preset NAME | --design FILE` for every command that works on a design (infer, optimize, calo, ...).
// Any problem (both or neither flag, unknown preset, unreadable file, bad JSON, invalid design) is a
// UsageError whose one-line message names the first offending JSON path.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError, type Flags } from './args'
import { loadPresetFile } from './presets'
import { noteInput, type InputRecord } from './provenance'
import { parseDesignText, type DesignError } from '../engine/design/parse'
import type { Design } from '../engine/design/schema'

export interface DesignInput {
  design: Design
  /** where it came from: the preset name or the file path */
  preset: string | null
  file: string | null
  /** the file (absolute) or preset, and the SHA-256 of its text */
  input: InputRecord
}

export interface DesignInputOptions {
  /** preset to use when neither flag is given; without it one of the flags is required */
  defaultPreset?: string
}

/** One line: the first error with its path, and how many more there are. */
export function firstErrorLine(errors: readonly DesignError[]): string {
  if (errors.length === 0) return 'invalid design'
  const e = errors[0]
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : ''
  return `${e.path ? `${e.path}: ` : ''}${e.message.replace(/\s*\n\s*/g, ' ')}${more}`
}

export function loadDesignInput(flags: Flags, opts: DesignInputOptions = {}): DesignInput {
  const preset = flags.string('preset')
  const file = flags.string('design')
  if (preset !== undefined && file !== undefined) throw new UsageError('give either --preset NAME or --design FILE, not both')
  if (file !== undefined) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message
      throw new UsageError(`cannot read design file ${file}: ${why}`)
    }
    const r = parseDesignText(text)
    if (!r.ok) throw new UsageError(`invalid design file ${file}: ${firstErrorLine(r.errors)}`)
    const design = r.design
    const input = noteInput({ file: resolve(file) }, text, () => design.seed)
    return { design, preset: null, file, input }
  }
  const name = preset ?? opts.defaultPreset
  if (name === undefined) throw new UsageError('give --preset NAME or --design FILE')
  const text = loadPresetFile(name)
  const r = parseDesignText(text)
  if (!r.ok) throw new UsageError(`invalid preset ${name}: ${firstErrorLine(r.errors)}`)
  const design = r.design
  const input = noteInput({ preset: name }, text, () => design.seed)
  return { design, preset: name, file: null, input }
}

/** The design named by --preset NAME or --design FILE (parsed, validated, defaults filled in). */
export function readDesignInput(flags: Flags, opts: DesignInputOptions = {}): Design {
  return loadDesignInput(flags, opts).design
}
