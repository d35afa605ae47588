// Ghost panels: the panels of other designs (an ensemble's best designs, the design under comparison) as
// outlines of their plates.
import { GhostLines, boxEdges } from '../../../scenes/GhostLines'
import type { Ghost } from '../../../state/beyond/ghosts'

const HALF_THICKNESS = 0.008

const outline = (g: Ghost): number[] => g.panels.flatMap((p) => boxEdges([p.x, p.y, p.z], [p.span_x / 2, p.span_y / 2, HALF_THICKNESS]))

export function Ghosts() {
  return <GhostLines kind="muography" outline={outline} />
}
