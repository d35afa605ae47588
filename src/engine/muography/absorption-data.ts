/// <reference types="@webgpu/types" />
// What the panels say about each muon for the absorption term (absorption.ts): a track above (entered), a track
// below (exited), and the below stack's acceptance along the entry line continued through the volume. Hard panel
// edges and the hits that fired, as the validation's reconstruction sees them. The entry line is the muon's true
// line at the volume's top: the fitted one differs by the track resolution (a fraction of a milliradian), far
// below a voxel over the volume's height, and a muon that stopped has no fitted pair of lines to trace.
import type { MuographyDesign } from '../design/schema'
import { volumeZ, type SimBatch } from './pipeline'
import type { AbsorptionEntry, AbsorptionObservations } from './absorption'
import { acceptanceValue, type PanelParams } from './panels'
import { keepRows, type LinePair, type PathMatrix } from './paths'
import { tracePaths } from './path-blocks'
import { tracePathsOnGpu } from '../gpu/paths'
import type { MuonTracks, VoxelVolume } from './types'

/** the relative resolution of the entry momentum the inference is given: the technology's for a measured one, 0 for a
 *  known one (and unused for an unknown one, which takes the prior spectrum) */
export function entryResolution(design: MuographyDesign): number {
  return design.simulation.momentum === 'measured' ? design.detector.technology.momentum_resolution : 0
}

/** Each muon's entry line, continued straight from the volume's top to its bottom (muons that did not come down: unused). */
export function entryLines(vol: VoxelVolume, t: MuonTracks): EntryPaths['lines'] {
  const { zTop, zBottom } = volumeZ(vol)
  const n = t.n
  const inX = new Float32Array(n), inY = new Float32Array(n), tx = new Float32Array(n), ty = new Float32Array(n)
  const outX = new Float32Array(n), outY = new Float32Array(n), use = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (!(t.uzin[i] < 0)) continue
    use[i] = 1
    tx[i] = t.uxin[i] / t.uzin[i]; ty[i] = t.uyin[i] / t.uzin[i]
    inX[i] = t.xin[i] + tx[i] * (zTop - t.zin[i]); inY[i] = t.yin[i] + ty[i] * (zTop - t.zin[i])
    outX[i] = inX[i] + tx[i] * (zBottom - zTop); outY[i] = inY[i] + ty[i] * (zBottom - zTop)
  }
  return { n, zIn: zTop, zOut: zBottom, inX, inY, inTx: tx, inTy: ty, outX, outY, outTx: tx, outTy: ty, use }
}

/** A muon near the end of its range scatters by tens of degrees and wanders off its line by several centimetres.
 *  Lines closer than SIDE_MARGIN_M to a side face of the volume (or leaving through one) are left out: their
 *  low-energy muons can leave through the side instead of stopping, and would read as transmitted (in the uranium
 *  block of absorption.test.ts, without the margin, the term put X0 a few per cent high). A wider margin loses more
 *  of the lines. */
export const SIDE_MARGIN_M = 0.1

/** entryLines with only the lines that stay SIDE_MARGIN_M inside the volume's side faces used */
export function innerEntryLines(vol: VoxelVolume, t: MuonTracks): EntryPaths['lines'] {
  const lines = entryLines(vol, t)
  const [x0, y0] = vol.origin, x1 = x0 + vol.nx * vol.voxel, y1 = y0 + vol.ny * vol.voxel
  const inner = (x: number, y: number) => Math.min(x - x0, x1 - x, y - y0, y1 - y) >= SIDE_MARGIN_M
  const use = lines.use
  for (let i = 0; i < lines.n; i++) {
    if (use[i] && !(inner(lines.inX[i], lines.inY[i]) && inner(lines.outX[i], lines.outY[i]))) use[i] = 0
  }
  return lines
}

/** a batch's inner entry lines and their path matrix: traced once, for the EM's absorption term (the muons seen
 *  entering) and for its Fisher constants (absorption-fisher.ts) */
export interface EntryPaths {
  lines: LinePair & { use: Uint8Array }
  paths: PathMatrix
}

export function traceEntryLines(vol: VoxelVolume, t: MuonTracks): EntryPaths {
  const lines = innerEntryLines(vol, t)
  return { lines, paths: tracePaths(vol, lines) }
}

/** traceEntryLines on `device` */
export async function traceEntryLinesGpu(device: GPUDevice, vol: VoxelVolume, t: MuonTracks): Promise<EntryPaths> {
  const lines = innerEntryLines(vol, t)
  return { lines, paths: await tracePathsOnGpu(device, vol, lines) }
}

/** whether a design's inference has an absorption term: without energy loss nothing stops, and it is constant */
export function absorptionUsed(d: MuographyDesign, asked = d.simulation.absorption): boolean {
  return asked && d.simulation.energy_loss
}

/** what the observations read of the panels: their stacks and efficiencies, and where they are (values()) */
export type PanelsSeen = Pick<PanelParams, 'n' | 'stackIndex' | 'efficiencyValues' | 'values'>

/** the panels where they are now, kept: the observations of a batch made later see them as its step did */
export function panelsNow(panels: PanelParams): PanelsSeen {
  const at = panels.values()
  return { n: panels.n, stackIndex: panels.stackIndex, efficiencyValues: panels.efficiencyValues, values: () => at }
}

/**
 * The absorption term's observations of a simulated batch. resolution: σp/p of a measured entry momentum (0 when
 * the momentum is known or taken from the prior): entryResolution of the design. `traced`: the batch's inner entry
 * lines, traced (traceEntryLines); the term keeps the rows of the muons seen entering.
 */
export function absorptionObservations(
  batch: SimBatch, vol: VoxelVolume, panels: PanelsSeen, resolution: number, traced = traceEntryLines(vol, batch.tracks),
): AbsorptionObservations {
  const seen = absorptionSeen(batch, panels, resolution, traced.lines)
  return { ...seen, paths: keepRows(traced.paths, seen.entered) }
}

/** the observations but the path matrix, from the inner entry lines */
export function absorptionSeen(batch: SimBatch, panels: PanelsSeen, resolution: number, lines: EntryPaths['lines']): Omit<AbsorptionObservations, 'paths'> {
  const t = batch.tracks, n = t.n, P = panels.n
  const { xy, z, span } = panels.values()
  const entered = new Float64Array(n), exited = new Float64Array(n), acceptance = new Float64Array(n)
  const inside = (p: number, x: number, y: number) => acceptanceValue(x - xy[2 * p], y - xy[2 * p + 1], span[2 * p], span[2 * p + 1], 'hard', 1)
  const stopped = (i: number) => !t.alive[i] && t.pOut[i] === 0
  for (let i = 0; i < n; i++) {
    if (!lines.use[i]) continue
    let above = 0, below = 0
    // P(≥ 2 hits below) along the continued line, by the recursion of fit.ts over the panels below: r0, r1 and r2
    // the probabilities of none, one and two or more so far
    let r0 = 1, r1 = 0, r2 = 0
    for (let p = 0; p < P; p++) {
      const fired = batch.present[i * P + p]
      if (panels.stackIndex[p] === 0) {
        const dz = z[p] - lines.zIn
        if (fired && inside(p, lines.inX[i] + lines.inTx[i] * dz, lines.inY[i] + lines.inTy[i] * dz)) above++
        continue
      }
      const dz = z[p] - lines.zOut
      const q = panels.efficiencyValues[p] * inside(p, lines.outX[i] + lines.outTx[i] * dz, lines.outY[i] + lines.outTy[i] * dz)
      r2 += r1 * q
      r1 = r1 * (1 - q) + r0 * q
      r0 *= 1 - q
      if (fired && !stopped(i) && t.uzout[i] < 0) {
        const ox = t.uxout[i] / t.uzout[i], oy = t.uyout[i] / t.uzout[i], dzo = z[p] - t.zout[i]
        if (inside(p, t.xout[i] + ox * dzo, t.yout[i] + oy * dzo)) below++
      }
    }
    entered[i] = above >= 2 ? 1 : 0
    exited[i] = below >= 2 ? 1 : 0
    acceptance[i] = r2
  }
  const entry: AbsorptionEntry = { ...batch.entry, resolution: batch.entry.kind === 'point' ? resolution : 0 }
  return { entered, exited, acceptance, entry }
}
