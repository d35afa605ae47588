// Save the 3D view as a PNG, as it is on screen (either kind). The render scheduler lives in the lazy 3D chunk,
// imported on click, so this button does not pull three.js into the workspace's own chunk. A click while the view
// is still mounting (a preset just opened) waits for its first frame instead of doing nothing.
import { slug } from '../state/actions'
import { downloadBlob } from '../state/download'
import { useStudio } from '../state/store'
import { frameDrawnSince } from '../state/view-ready'

const MOUNT_WAIT_MS = 15_000

async function save(): Promise<void> {
  const { viewPng } = await import('../scenes/RenderScheduler')
  let png = await viewPng()
  if (!png && (await frameDrawnSince(performance.now(), MOUNT_WAIT_MS))) png = await viewPng()
  if (!png) {
    useStudio.setState({ notice: 'PNG: the 3D view is not drawn (no WebGL, or it is still loading); try again once it shows' })
    return
  }
  downloadBlob(`${slug(useStudio.getState().design?.name ?? 'design')}-3d.png`, png)
}

export function ViewPngButton() {
  return <button type="button" onClick={() => void save()} title="save the 3D view as a PNG">PNG</button>
}
