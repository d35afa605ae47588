// Load a design from an ensemble, a budget sweep or a comparison into the studio through the one live design
// path: within the same design (only parameters differ) the kind puts the parameters in place as one undo step
// and the run can go on; otherwise the design is loaded as a new session (also an undo step).
import type { Design } from '../../engine/design/schema'
import { KINDS } from '../../kinds'
import { parametersOf, sameStructure } from '../../kinds/designs'
import { loadDesign, pause } from '../actions'
import { useStudio } from '../store'
import { recordEdit, whileApplying } from '../undo'

export async function applyDesign(design: Design, label: string): Promise<boolean> {
  const st = useStudio.getState()
  if (st.status === 'running') await pause()
  const cur = useStudio.getState().design
  if (cur && sameStructure(design, cur)) {
    recordEdit(label)
    // one undo step for the whole design, not one per panel or layer
    await whileApplying(async () => KINDS[design.kind].applyParameters(parametersOf(design)))
    return true
  }
  const { results: _r, ...plain } = design
  void _r
  return loadDesign(plain, { presetName: st.presetName, fileName: st.fileName })
}
