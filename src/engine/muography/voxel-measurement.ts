// How well a design measures each voxel, from the muons of one batch and the physical (hard-edged) panels:
// the Fisher information of fisher.ts gives the Cramér–Rao precision of λ = 1/X0, and σ(X0)/X0 = σ(λ)/λ, so
// 1/√(I_jj λ_j²) is the relative X0 precision expected from this many muons; the expected number of muons that
// cross the voxel with at least two hits above and two below is Σ w_i over the muons whose true path crosses it.
// With the absorption term (absorption-fisher.ts), its information is added, as in the Fisher task term.
import { absorptionInformation } from './absorption-fisher'
import { fisherConstants, fisherInformation, disposeFisherConstants } from './fisher'
import { disposePathTensors, pathTensors } from './path-tensors'
import type { PanelParams } from './panels'
import { panelTerm, reconstructBatch, truthStacks, type SimBatch, type TruthTerm } from './pipeline'
import type { VoxelVolume } from './types'
import { readBack, tf } from '../core/tensor'
import { isResident } from '../gpu/path-resident'

export interface VoxelMeasurement {
  /** predicted σ(X0)/X0 per voxel (Infinity where no detected muon crosses) */
  x0RelError: Float64Array
  /** expected number of muons per voxel detected on both sides (detection probability summed) */
  muons: Float64Array
  /** muons simulated in the batch */
  simulated: number
}

/** `term`: the Fisher term's constants on the true paths of the batch's muons (with the absorption term's when the
 *  design uses it); the panels are reconstructed hard-edged (physical acceptance). */
export async function voxelMeasurement(
  term: TruthTerm, batch: SimBatch, lambdaTrue: Float64Array, vol: VoxelVolume, panels: PanelParams,
): Promise<VoxelMeasurement> {
  const { paths: truth, absorption } = term
  // it counts each voxel's muons along the paths, on the CPU (explain traces them there)
  if (isResident(truth)) throw new Error('the voxels\' measurement needs the true paths on the CPU')
  const P = pathTensors(truth)
  const gpu = term.gpu?.constants
  const K = gpu ?? fisherConstants(truth, lambdaTrue, term.scattering!())
  const [info, weight] = tf.tidy(() => {
    const hard = reconstructBatch(batch, vol, panels, 'hard', 1)
    const scattering = fisherInformation(P, K, hard.w, tf.add(hard.e, panelTerm(batch, panels, truthStacks(term))) as tf.Tensor1D)
    return [absorption ? tf.add(scattering, absorptionInformation(panels, absorption, 'hard', 1)) : scattering, hard.w]
  })
  const [I, w] = await readBack([info, weight])
  tf.dispose([info, weight])
  disposePathTensors(P)
  if (!gpu) disposeFisherConstants(K)
  const V = truth.nVoxels
  const muons = new Float64Array(V)
  for (let k = 0; k < truth.nnz; k++) if (truth.length[k] > 0) muons[truth.voxel[k]] += w[truth.muon[k]]
  const x0RelError = Float64Array.from({ length: V }, (_, j) => 1 / Math.sqrt(I[j] * lambdaTrue[j] * lambdaTrue[j]))
  return { x0RelError, muons, simulated: batch.tracks.n }
}
