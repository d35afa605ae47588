// What the detector draws for each muon once its track is made, from the muon's own stream (core/item-stream.ts,
// sub-stream 0 under the batch's 'detector' key) in this order: the hit noise (two normals per panel), whether each
// panel registered the muon (a uniform against its efficiency), and, when any panel has material, the panels' own
// kicks (two normals per panel). Muon i's draws are a function of (seed, i) alone, whatever block or thread draws
// them, so the GPU kernel (gpu/detector.ts) draws the same numbers; the noise and the efficiency draws come first so
// that giving the panels material leaves them as they were.
import { philoxKey } from '../core/philox'
import { fillNormals, seedItem, uniform } from '../core/item-stream'
import { kickWidths, panelScatterRange } from './panel-material'
import type { SimJob } from './sim-blocks'

export const DETECTOR_STREAM = 'detector'

/** what the draws need of a simulation job */
export type DetectorJob = Pick<SimJob, 'seed' | 'layout' | 'efficiency' | 'kicks' | 'out'>

/** the detector's draws of muons [i0, i1) into job.out (noise, present, kicks) and the panels' scattering geometry */
export function detectorRange(job: DetectorJob, i0: number, i1: number): void {
  const o = job.out, t = o.tracks
  const P = job.efficiency.length
  const [k0, k1] = philoxKey(job.seed, DETECTOR_STREAM)
  const st = new Int32Array(4), z = new Float64Array(2 * P), th = new Float64Array(P)
  for (let i = i0; i < i1; i++) {
    seedItem(st, i, 0, k0, k1)
    fillNormals(st, z)
    o.noise.set(z, 2 * P * i)
    for (let k = 0; k < P; k++) o.present[i * P + k] = uniform(st) < job.efficiency[k] ? 1 : 0
    if (!job.kicks) continue
    kickWidths(job.layout, t.uzin[i], t.uzout[i], o.pAbove[i], t.pOut[i], th)
    fillNormals(st, z)
    for (let k = 0; k < P; k++) {
      o.kicks[2 * (i * P + k)] = th[k] * z[2 * k]
      o.kicks[2 * (i * P + k) + 1] = th[k] * z[2 * k + 1]
    }
  }
  panelScatterRange(job.layout, t, i0, i1, o.panel)
}
