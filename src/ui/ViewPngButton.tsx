// Save the 3D view as a PNG, as it is on screen (either kind). The render scheduler lives in the lazy 3D chunk,
// loaded by then: imported on click, so this button does not pull three.js into the workspace's own chunk.
import { slug } from '../state/actions'
import { downloadBlob } from '../state/download'
import { useStudio } from '../state/store'

async function save(): Promise<void> {
  const png = await (await import('../scenes/RenderScheduler')).viewPng()
  const name = useStudio.getState().design?.name ?? 'design'
  if (png) downloadBlob(`${slug(name)}-3d.png`, png)
}

export function ViewPngButton() {
  return <button type="button" onClick={() => void save()} title="save the 3D view as a PNG">PNG</button>
}
