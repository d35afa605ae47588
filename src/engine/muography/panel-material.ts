// The panels' own material (technology.thickness_x0, in radiation lengths): each crossing scatters the muon by
// Highland's θ0 for x/X0 = thickness/|cos θ| (PDG RPP 2024 eq. 34.15, once per panel: the panels are separate
// scatterers) and, with energy loss on, slows it as that many radiation lengths of plastic scintillator would
// (mean loss, core/muon-energy-loss.ts). Every muon is taken to cross every panel of both stacks (panels are
// usually wider than the volume; a muon that misses one is not detected by it anyway).
//
// Kicks δ_j (slope units) at panel j displace the true crossings of the other panels of its stack. The reference
// lines are the muon's lines at the volume's faces, so in the stack above (crossed before the volume) a kick at
// panel j moves the crossings of the panels above it: x_k −= δ_j (z_k − z_j) for z_k > z_j; below the volume it
// moves those under it: x_k += δ_j (z_k − z_j) for z_k < z_j. The fitted slope is linear in the hits,
// t̂ = Σ_k a_k x_k with a_k = w_k (z_k − z̄)/Σ_l w_l (z_l − z̄)², so a kick δ_j moves it by b_j δ_j:
//   above: b_j = −Σ_{z_k > z_j} a_k (z_k − z_j),   below: b_j = Σ_{z_k < z_j} a_k (z_k − z_j),
// and the variance of one projected angle gains Σ_j θ0_j² b_j² per stack (the inference adds it to e).
import { MATERIALS } from '../core/materials'
import { lookupLoss, lossTable } from '../core/muon-energy-loss'
import type { Rng } from '../core/rng'
import { MUON_MASS_GEV } from '../core/units'
import { highlandC, highlandG } from './highland'
import type { PanelParams } from './panels'
import type { MuonTracks } from './types'

const SCINT = 'scintillator'
const SCINT_TABLE = lossTable(SCINT)
/** radiation length of the reference plastic scintillator, m */
const SCINT_X0 = MATERIALS[SCINT].x0_m

export interface PanelLayout {
  /** per panel: height, stack (0 above, 1 below), thickness in X0, slope sensitivity b_j */
  z: Float64Array
  stack: Int32Array
  thickness: Float64Array
  sensitivity: Float64Array
}

export function panelLayout(panels: PanelParams, z: ArrayLike<number>): PanelLayout {
  const P = panels.n
  const zz = Float64Array.from(z)
  const sensitivity = new Float64Array(P)
  for (const s of [0, 1]) {
    const idx = [...Array(P).keys()].filter((p) => panels.stackIndex[p] === s)
    const w = idx.map((p) => 1 / panels.sigmaValues[p] ** 2)
    const sw = w.reduce((a, b) => a + b, 0)
    const zbar = idx.reduce((a, p, k) => a + w[k] * zz[p], 0) / sw
    const szz = idx.reduce((a, p, k) => a + w[k] * (zz[p] - zbar) ** 2, 0)
    if (!(szz > 0)) continue
    for (const j of idx) {
      let b = 0
      idx.forEach((k, m) => {
        const a = (w[m] * (zz[k] - zbar)) / szz
        if (s === 0 && zz[k] > zz[j]) b -= a * (zz[k] - zz[j])
        if (s === 1 && zz[k] < zz[j]) b += a * (zz[k] - zz[j])
      })
      sensitivity[j] = b
    }
  }
  return { z: zz, stack: Int32Array.from(panels.stackIndex), thickness: Float64Array.from(panels.thicknessX0Values), sensitivity }
}

/** mean energy (GeV) a muon of momentum p loses crossing t radiation lengths of plastic scintillator */
export function panelLoss(p: number, t: number): number {
  if (!(t > 0)) return 0
  const kin = Math.hypot(p, MUON_MASS_GEV) - MUON_MASS_GEV
  return Math.min(kin, lookupLoss(SCINT_TABLE, 0, Math.max(kin, 1e-3)) * t * SCINT_X0)
}

/** the muons' momenta after the panels of one stack (all crossed at the muon's incidence |cos θ|) */
export function afterStack(layout: PanelLayout, stack: 0 | 1, p: ArrayLike<number>, cosT: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(p)
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < layout.z.length; j++) {
      if (layout.stack[j] !== stack || !(out[i] > 0)) continue
      const e = Math.hypot(out[i], MUON_MASS_GEV) - panelLoss(out[i], layout.thickness[j] / cosT[i])
      out[i] = e > MUON_MASS_GEV ? Math.sqrt(e * e - MUON_MASS_GEV * MUON_MASS_GEV) : 0
    }
  }
  return out
}

/**
 * Displacements [N, P, 2] of the true crossings by the kicks in the panels (module comment), for momenta pAbove
 * (at the stack above) and pBelow (leaving the volume). One normal per muon, panel and projection from `rng`.
 */
export function panelScatterOffsets(layout: PanelLayout, t: MuonTracks, pAbove: ArrayLike<number>, rng: Rng): Float32Array {
  const P = layout.z.length, N = t.n
  const out = new Float32Array(N * P * 2)
  const kick = new Float64Array(2 * P)
  for (let i = 0; i < N; i++) {
    const cosIn = Math.max(0.05, Math.abs(t.uzin[i])), cosOut = Math.max(0.05, Math.abs(t.uzout[i]))
    for (let j = 0; j < P; j++) {
      const above = layout.stack[j] === 0
      const p = above ? pAbove[i] : t.pOut[i]
      const th = layout.thickness[j] > 0 && p > 0
        ? Math.sqrt(highlandC(p) * highlandG(layout.thickness[j] / (above ? cosIn : cosOut))) : 0
      kick[2 * j] = th * rng.normal()
      kick[2 * j + 1] = th * rng.normal()
    }
    for (let k = 0; k < P; k++) for (let j = 0; j < P; j++) {
      if (layout.stack[j] !== layout.stack[k]) continue
      const dz = layout.z[k] - layout.z[j]
      const sign = layout.stack[j] === 0 ? (dz > 0 ? -1 : 0) : (dz < 0 ? 1 : 0)
      if (sign === 0) continue
      out[2 * (i * P + k)] += sign * kick[2 * j] * dz
      out[2 * (i * P + k) + 1] += sign * kick[2 * j + 1] * dz
    }
  }
  return out
}

/** per muon: Σ_j g(t_j/|cos θ|) b_j² for each stack, so that the angular variance gains c_in·above + c_out·below */
export function panelScatterGeometry(layout: PanelLayout, t: MuonTracks): { above: Float32Array; below: Float32Array } {
  const N = t.n
  const above = new Float32Array(N), below = new Float32Array(N)
  for (let i = 0; i < N; i++) {
    const cosIn = Math.max(0.05, Math.abs(t.uzin[i])), cosOut = Math.max(0.05, Math.abs(t.uzout[i]))
    for (let j = 0; j < layout.z.length; j++) {
      if (!(layout.thickness[j] > 0)) continue
      const up = layout.stack[j] === 0
      const g = highlandG(layout.thickness[j] / (up ? cosIn : cosOut)) * layout.sensitivity[j] ** 2
      if (up) above[i] += g
      else below[i] += g
    }
  }
  return { above, below }
}
