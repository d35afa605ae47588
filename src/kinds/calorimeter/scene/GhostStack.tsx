// Ghost stacks: the layer boundaries of other designs (an ensemble's best designs, the design under comparison)
// as square outlines across the beam at each absorber|active boundary and at the back of each layer, drawn a
// little larger than the stack so they stay visible around it.
import { GhostLines } from '../../../scenes/GhostLines'
import { useStudio } from '../../../state/store'
import type { Ghost } from '../../../state/beyond/ghosts'
import { stackLayout } from './layout'

function square(x: number, h: number): number[] {
  const c = [[-h, -h], [h, -h], [h, h], [-h, h]]
  return c.flatMap(([y, z], i) => [x, y, z, x, c[(i + 1) % 4][0], c[(i + 1) % 4][1]])
}

function outline(g: Ghost): number[] {
  const d = useStudio.getState().design
  const transverse = d?.kind === 'calorimeter' ? d.calorimeter.transverse_size : 0.5
  const s = stackLayout(g.layers, transverse)
  const h = 0.55 * transverse
  const out: number[] = []
  for (let i = 0; i < s.n; i++) out.push(...square(s.split[i], h), ...square(s.end[i], h))
  return out
}

export function GhostStack() {
  return <GhostLines kind="calorimeter" outline={outline} />
}
