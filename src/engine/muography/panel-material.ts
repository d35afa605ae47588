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
// Both the displaced crossings and b_j are functions of the panels' heights on the tape (the kicks themselves and the
// order of the panels within a stack are fixed per batch), so a gradient in z sees the panels' own scattering.
import { hypot2 } from '../core/hypot'
import { MATERIALS } from '../core/materials'
import { lookupLoss, lossTable } from '../core/muon-energy-loss'
import { tf } from '../core/tensor'
import { MUON_MASS_GEV } from '../core/units'
import { highlandC, highlandG } from './highland'
import type { PanelParams } from './panels'
import type { MuonTracks } from './types'

const SCINT = 'scintillator'
/** the reference plastic scintillator's mean loss table (GeV/m against ln T, core/muon-energy-loss.ts) */
export const SCINT_TABLE = lossTable(SCINT)
/** radiation length of the reference plastic scintillator, m */
export const SCINT_X0 = MATERIALS[SCINT].x0_m

export interface PanelLayout {
  /** per panel: height, stack (0 above, 1 below), thickness in X0, slope sensitivity b_j */
  z: Float64Array
  stack: Int32Array
  thickness: Float64Array
  sensitivity: Float64Array
  /**
   * [P, P], row k, column j: how a kick at panel j moves the crossing of panel k per metre of z_k − z_j
   * (−1 above the volume for z_k > z_j, +1 below for z_k < z_j, else 0)
   */
  sign: Int8Array
}

export function panelLayout(panels: PanelParams, z: ArrayLike<number>): PanelLayout {
  const P = panels.n
  const zz = Float64Array.from(z)
  const sign = new Int8Array(P * P)
  for (let k = 0; k < P; k++) for (let j = 0; j < P; j++) {
    if (panels.stackIndex[k] !== panels.stackIndex[j]) continue
    if (panels.stackIndex[j] === 0 && zz[k] > zz[j]) sign[k * P + j] = -1
    if (panels.stackIndex[j] === 1 && zz[k] < zz[j]) sign[k * P + j] = 1
  }
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
      idx.forEach((k, m) => { b += sign[k * P + j] * ((w[m] * (zz[k] - zbar)) / szz) * (zz[k] - zz[j]) })
      sensitivity[j] = b
    }
  }
  return {
    z: zz, stack: Int32Array.from(panels.stackIndex), thickness: Float64Array.from(panels.thicknessX0Values), sensitivity, sign,
  }
}

/**
 * The slope sensitivities b_j of the module comment as a function of the panels' heights (panels.z on the tape), [P];
 * the order of the panels (layout.sign) is held. b_j = Σ_k S_kj a_k (z_k − z_j), a_k = w_k (z_k − z̄)/Σ w (z − z̄)².
 */
export function sensitivityTensor(panels: PanelParams, layout: PanelLayout): tf.Tensor1D {
  const P = panels.n
  return tf.tidy(() => {
    const z = panels.z
    let a = tf.zeros([P]) as tf.Tensor1D
    for (const s of [0, 1]) {
      const w = Float32Array.from({ length: P }, (_, p) => (panels.stackIndex[p] === s ? 1 / panels.sigmaValues[p] ** 2 : 0))
      const sw = w.reduce((x, y) => x + y, 0)
      const zbar = layout.z.reduce((x, zp, p) => x + w[p] * zp, 0) / sw
      if (!(layout.z.reduce((x, zp, p) => x + w[p] * (zp - zbar) ** 2, 0) > 0)) continue
      const wt = tf.tensor1d(w)
      const dz = tf.sub(z, tf.div(tf.sum(tf.mul(wt, z)), sw))
      a = tf.add(a, tf.div(tf.mul(wt, dz), tf.sum(tf.mul(wt, tf.square(dz)))))
    }
    const St = tf.transpose(tf.tensor2d(Float32Array.from(layout.sign), [P, P]))
    const col = (v: tf.Tensor) => tf.reshape(v, [P, 1])
    return tf.reshape(tf.sub(tf.matMul(St, col(tf.mul(a, z))), tf.mul(col(z), tf.matMul(St, col(a)))), [P]) as tf.Tensor1D
  })
}

/** mean energy (GeV) a muon of momentum p loses crossing t radiation lengths of plastic scintillator */
export function panelLoss(p: number, t: number): number {
  if (!(t > 0)) return 0
  const kin = hypot2(p, MUON_MASS_GEV) - MUON_MASS_GEV
  return Math.min(kin, lookupLoss(SCINT_TABLE, 0, Math.max(kin, 1e-3)) * t * SCINT_X0)
}

/** the muons' momenta after the panels of one stack (all crossed at the muon's incidence |cos θ|) */
export function afterStack(layout: PanelLayout, stack: 0 | 1, p: ArrayLike<number>, cosT: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(p)
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < layout.z.length; j++) {
      if (layout.stack[j] !== stack || !(out[i] > 0)) continue
      const e = hypot2(out[i], MUON_MASS_GEV) - panelLoss(out[i], layout.thickness[j] / cosT[i])
      out[i] = e > MUON_MASS_GEV ? Math.sqrt(e * e - MUON_MASS_GEV * MUON_MASS_GEV) : 0
    }
  }
  return out
}

/**
 * Per panel j, g(t_j/|cos θ|) for a muon of incidence uzIn above and uzOut below into g (0 for a panel without
 * material). The panels of a stack usually share a thickness, so the muon crosses them at one t: the logarithm is
 * taken once per stack and thickness.
 */
function panelG(layout: PanelLayout, uzIn: number, uzOut: number, g: Float64Array): void {
  const cosIn = Math.max(0.05, Math.abs(uzIn)), cosOut = Math.max(0.05, Math.abs(uzOut))
  let tLast = NaN, gLast = 0
  for (let j = 0; j < g.length; j++) {
    if (!(layout.thickness[j] > 0)) { g[j] = 0; continue }
    const t = layout.thickness[j] / (layout.stack[j] === 0 ? cosIn : cosOut)
    if (t !== tLast) { tLast = t; gLast = highlandG(t) }
    g[j] = gLast
  }
}

/**
 * Per panel j, the width θ0_j (slope units) of a muon's kick in it (the kick is θ0_j times a standard normal per
 * projection), for a muon of incidence uzIn with momentum pAbove at the stack above, leaving the volume at uzOut with
 * pOut; 0 for a panel without material or a muon that stopped.
 */
export function kickWidths(layout: PanelLayout, uzIn: number, uzOut: number, pAbove: number, pOut: number, th: Float64Array): void {
  const cAbove = pAbove > 0 ? highlandC(pAbove) : 0, cBelow = pOut > 0 ? highlandC(pOut) : 0
  panelG(layout, uzIn, uzOut, th)
  for (let j = 0; j < th.length; j++) {
    const c = layout.stack[j] === 0 ? cAbove : cBelow
    th[j] = th[j] > 0 && c > 0 ? Math.sqrt(c * th[j]) : 0
  }
}

/**
 * Displacements of the true crossings of one stack's panels `idx` by the kicks, [K, N] per projection, on the tape:
 * x_k = Σ_j S_kj (z_k − z_j) δ_j = (W δ)_k with W = S ⊙ (z − zᵀ) [K, K] and z [K, 1] the panels' heights: the
 * heights enter only the small W, so the product over the muons is one matMul whose gradient reaches W alone.
 * dx, dy: the kicks δ of the stack's panels, [K, N].
 */
export function kickShifts(
  layout: PanelLayout, idx: readonly number[], z: tf.Tensor2D, dx: tf.Tensor2D, dy: tf.Tensor2D,
): [tf.Tensor2D, tf.Tensor2D] {
  const P = layout.z.length, K = idx.length
  const S = new Float32Array(K * K)
  idx.forEach((k, r) => idx.forEach((j, c) => { S[r * K + c] = layout.sign[k * P + j] }))
  return tf.tidy(() => {
    const W = tf.mul(tf.tensor2d(S, [K, K]), tf.sub(z, tf.reshape(z, [1, K]))) as tf.Tensor2D
    return [tf.matMul(W, dx), tf.matMul(W, dy)]
  })
}

/** per muon and panel, g(t_j/|cos θ|) [N, P], and its sums weighted by b_j² per stack (the EM's panel term) */
export interface PanelScatterGeometry {
  g: Float32Array
  above: Float32Array
  below: Float32Array
}

/** PanelScatterGeometry of muons [i0, i1) of t into out (t and out indexed by batch position). Each value is
 *  assigned, never added to, so that a block run twice (parallel/blocks.ts) writes the same numbers. */
export function panelScatterRange(layout: PanelLayout, t: MuonTracks, i0: number, i1: number, out: PanelScatterGeometry): void {
  const P = layout.z.length
  const { g } = out
  const row = new Float64Array(P)
  for (let i = i0; i < i1; i++) {
    panelG(layout, t.uzin[i], t.uzout[i], row)
    for (let j = 0; j < P; j++) if (layout.thickness[j] > 0) g[i * P + j] = row[j]
  }
  panelSumsRange(layout, i0, i1, out)
}

/** the sums Σ_j g_ij b_j² per stack of muons [i0, i1) (`above`, `below`) from their g: the only part of the
 *  geometry that depends on the panels' heights (through b_j), so a batch simulated before the panels moved takes
 *  its sums again from here. Rounded to float32 at each term, as the arrays they go to would round them. */
export function panelSumsRange(layout: PanelLayout, i0: number, i1: number, out: PanelScatterGeometry): void {
  const P = layout.z.length
  const { g, above, below } = out
  const b2 = layout.sensitivity.map((b) => b * b)
  for (let i = i0; i < i1; i++) {
    let sumAbove = 0, sumBelow = 0
    for (let j = 0; j < P; j++) {
      if (!(layout.thickness[j] > 0)) continue
      if (layout.stack[j] === 0) sumAbove = Math.fround(sumAbove + g[i * P + j] * b2[j])
      else sumBelow = Math.fround(sumBelow + g[i * P + j] * b2[j])
    }
    above[i] = sumAbove
    below[i] = sumBelow
  }
}

/**
 * The panels' term of each muon's measurement variance on the tape, [N]: Σ_j c_ij g_ij b_j(z)², with c_ij the muon's
 * scattering constant at the stack of panel j (cIn above, cOut below).
 */
export function panelVariance(
  panels: PanelParams, layout: PanelLayout, g: Float32Array, cIn: ArrayLike<number> | tf.Tensor1D, cOut: ArrayLike<number> | tf.Tensor1D,
): tf.Tensor1D {
  const P = panels.n, N = g.length / P
  return tf.tidy(() => {
    const column = (c: ArrayLike<number> | tf.Tensor1D) => tf.reshape(c instanceof tf.Tensor ? c : tf.tensor1d(Float32Array.from(c)), [N, 1])
    // each panel's muon by muon c: the stack above's or the stack below's
    const above = tf.tensor2d(Float32Array.from(layout.stack, (s) => (s === 0 ? 1 : 0)), [1, P])
    const c = tf.add(tf.mul(column(cIn), above), tf.mul(column(cOut), tf.sub(1, above)))
    const h = tf.mul(c, tf.tensor2d(g, [N, P]))
    const b = sensitivityTensor(panels, layout)
    return tf.reshape(tf.matMul(h, tf.reshape(tf.square(b), [P, 1])), [N]) as tf.Tensor1D
  })
}
