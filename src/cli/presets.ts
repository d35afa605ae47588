// Node-side access to the shipped presets (public/presets/NAME.json). The browser fetches the same files.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from './args'
import { PACKAGE_ROOT } from './package-info'
import { PRESET_NAME_PATTERN, presetNames } from '../engine/design/presets'

export const PRESET_DIR = join(PACKAGE_ROOT, 'public', 'presets')

/** The presets available on disk (public/presets/*.json without index.json), in presetNames() order first. */
export function availablePresets(): string[] {
  let files: string[] = []
  try {
    files = readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5))
  } catch { /* no directory: no presets */ }
  const onDisk = new Set(files)
  const known = presetNames().filter((n) => onDisk.has(n))
  return [...known, ...files.filter((n) => !known.includes(n)).sort()]
}

export function presetPath(name: string): string {
  return join(PRESET_DIR, `${name}.json`)
}

/** The text of preset NAME; an unknown name is a UsageError that lists the known ones. */
export function loadPresetFile(name: string): string {
  const known = availablePresets()
  if (!PRESET_NAME_PATTERN.test(name) || !known.includes(name)) {
    throw new UsageError(`unknown preset "${name}" (known: ${known.join(', ')})`)
  }
  try {
    return readFileSync(presetPath(name), 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read preset "${name}": ${(e as Error).message}`)
  }
}
