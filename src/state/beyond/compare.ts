// Compare two designs: the open one (its live parameters) and a second one, pinned from the run's best design or
// read from a design file. Both are evaluated the same way on a background worker (no optimisation step: the
// validation metric on the design's fixed, seeded validation set and the detector cost), so the numbers compare;
// the second design is drawn as a ghost in the 3D view.
import { create } from 'zustand'
import { importDesignFile } from '../../engine/design/import'
import type { Design } from '../../engine/design/schema'
import type { BackgroundResult } from '../../workers/background-protocol'
import { engine } from '../../workers/supervisor'
import { currentDesign, errorText } from '../actions'
import { COMPARE_COLOUR, ghostOf, useGhosts } from './ghosts'
import { runPool } from './pool'

export interface CompareSide {
  label: string
  design: Design
  result?: BackgroundResult
  error?: string
}

interface CompareState {
  a: CompareSide | null
  b: CompareSide | null
  busy: boolean
  notice: string | null
}

export const useCompare = create<CompareState>()(() => ({ a: null, b: null, busy: false, notice: null }))

let token = 0

/** evaluate the open design (A) and B side by side */
export async function evaluateBoth(): Promise<void> {
  const b = useCompare.getState().b
  const live = currentDesign()
  if (!b || !live) return
  const mine = ++token
  const a: CompareSide = { label: 'open design', design: live }
  useCompare.setState({ a, busy: true, notice: null })
  const settled = await runPool([{ job: { design: live, steps: 0 } }, { job: { design: b.design, steps: 0 } }]).done
  if (mine !== token) return
  const side = (s: CompareSide, r: PromiseSettledResult<BackgroundResult>): CompareSide =>
    r.status === 'fulfilled' ? { ...s, result: r.value } : { ...s, error: errorText(r.reason) }
  useCompare.setState({ a: side(a, settled[0]), b: side(b, settled[1]), busy: false })
}

function setB(design: Design, label: string): Promise<void> {
  const open = currentDesign()
  if (open && open.kind !== design.kind) {
    useCompare.setState({ notice: `${label} is a ${design.kind} design and the open one a ${open.kind} design: compare two designs of the same kind` })
    return Promise.resolve()
  }
  useCompare.setState({ b: { label, design }, notice: null })
  useGhosts.setState({ compare: ghostOf(design, label, COMPARE_COLOUR) })
  return evaluateBoth()
}

/** B = the best design of the main run so far (by validation) */
export async function pinBest(): Promise<void> {
  const c = engine()
  if (!c) return
  try {
    const d = await c.api.exportDesign('best')
    delete d.results
    await setB(d, 'pinned best')
  } catch (e) {
    useCompare.setState({ notice: `could not pin the best design: ${errorText(e)}` })
  }
}

/** B = a design file (checked like any import; a bad file leaves the comparison as it was) */
export async function compareFile(file: File): Promise<void> {
  const r = await importDesignFile(file)
  if (!r.ok) {
    useCompare.setState({ notice: `${file.name}: ${r.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ')}` })
    return
  }
  await setB(r.design, file.name)
}

export function clearCompare(): void {
  token++
  useCompare.setState({ a: null, b: null, busy: false, notice: null })
  useGhosts.setState({ compare: null })
}
