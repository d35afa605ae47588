// What every CLI result records about how it was made: the input (file or preset, and its SHA-256), the tool
// version, the seed and the elapsed time. The design input is noted where it is read (design-input.ts,
// validate), so commands need no code for it.
import { sha256 } from './files'
import { VERSION } from './package-info'

export interface InputRecord {
  file?: string
  preset?: string
  sha256: string
}

export interface RunRecord {
  tool: 'dds'
  version: string
  command: string
  input: InputRecord | null
  seed: number | null
  started_at: string
  elapsed_s: number
}

let noted: { input: InputRecord; seed: () => number | null } | null = null

/** note the input of this run: its text (or bytes) is hashed; `seed` reads the design's seed when the run ends */
export function noteInput(where: { file: string } | { preset: string }, text: string | Uint8Array, seed: () => number | null = () => null): InputRecord {
  noted = { input: { ...where, sha256: sha256(text) }, seed }
  return noted.input
}

/** start timing a command; `finish` makes its record (the seed from the output if it has one, else the design's) */
export function startRun(command: string): { finish(output: Record<string, unknown>): RunRecord } {
  noted = null
  const started = new Date()
  const t0 = performance.now()
  return {
    finish(output) {
      const seed = typeof output.seed === 'number' ? output.seed : noted?.seed() ?? null
      return {
        tool: 'dds', version: VERSION, command,
        input: noted?.input ?? null, seed,
        started_at: started.toISOString(),
        elapsed_s: Number(((performance.now() - t0) / 1000).toFixed(3)),
      }
    },
  }
}
