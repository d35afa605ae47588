// `explain` for either kind: the loss of the current design on the next step's batch, its gradient per design
// parameter, and (muography) how well each voxel is measured, as plain JSON-ready data for the CLI and the worker.
import type { LayerGradient, PanelGradient } from './explain-types'
import { MuographySession } from './muography/session'
import { voxelCoords } from './muography/volume'
import type { Session } from './session-types'

export interface VoxelReport {
  ix: number
  iy: number
  iz: number
  x0_true: number
  /** predicted σ(X0)/X0 from the Fisher information (null: no detected muon crosses the voxel) */
  x0_rel_error: number | null
  /** expected number of muons crossing it with hits on both sides */
  muons: number
}

export interface ExplainReport {
  loss: number
  parts: Record<string, number>
  gradient: Record<string, PanelGradient | LayerGradient>
  voxels?: VoxelReport[]
  /** muons in the batch the voxel figures come from */
  muons_simulated?: number
}

export async function explainReport(session: Session): Promise<ExplainReport> {
  if (!(session instanceof MuographySession)) {
    const e = await session.explain()
    return { loss: e.loss, parts: e.parts, gradient: e.gradient }
  }
  const e = await session.explain()
  const vol = session.volume
  const voxels = Array.from(e.voxels.muons, (muons, j) => {
    const [ix, iy, iz] = voxelCoords(vol, j)
    const err = e.voxels.x0RelError[j]
    return { ix, iy, iz, x0_true: vol.x0[j], x0_rel_error: Number.isFinite(err) ? err : null, muons }
  })
  return { loss: e.loss, parts: e.parts, gradient: e.gradient, voxels, muons_simulated: e.voxels.simulated }
}
