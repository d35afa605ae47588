// Undo and redo: go to a design snapshot (./undo.ts). Within the same design (only parameters differ) the kind
// moves its panels or layers in place and the run goes on; otherwise the snapshot's live design is loaded.
import { KINDS } from '../kinds'
import { liveDesign, sameStructure } from '../kinds/designs'
import { engine } from '../workers/supervisor'
import { loadDesign, pause } from './actions'
import { forgetStepShift } from './engine-life'
import { useStudio } from './store'
import { useTrust } from './trust'
import { captureDesign, designHistory, whileApplying, type DesignSnapshot } from './undo'

async function applySnapshot(t: DesignSnapshot): Promise<void> {
  const st = useStudio.getState()
  if (!engine() || !st.design) return
  if (st.status === 'running') await pause()
  if (t.design.kind === st.design.kind && sameStructure(t.design, st.design)) {
    KINDS[t.design.kind].applyParameters(t)
    return
  }
  if (await loadDesign(liveDesign(t.design, t), { presetName: t.presetName ?? null, fileName: t.fileName ?? null }, { record: false })) {
    forgetStepShift()
  }
}

async function go(pick: (cur: DesignSnapshot) => DesignSnapshot | null): Promise<boolean> {
  if (useTrust.getState().restarting) return false
  const cur = captureDesign('now')
  if (!cur) return false
  const target = pick(cur)
  if (!target) return false
  await whileApplying(() => applySnapshot(target))
  return true
}

export const undo = (): Promise<boolean> => go((cur) => designHistory.undo(cur))
export const redo = (): Promise<boolean> => go((cur) => designHistory.redo(cur))
