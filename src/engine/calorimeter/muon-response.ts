// The muon's response: the mean energy loss of a muon of the beam energy in every layer, −dE/dx = a(E) + b(E)·E
// (Bethe with the density effect, and radiative losses; core/muon-energy-loss.ts, PDG RPP 2024 §34.2 and §34.6),
// instead of the minimum-ionising loss alone.
//  - Visible signal of a cell: the active layer's ionisation a_a·ρ_a·d_a, straggling with a Moyal distribution
//    (the Landau shape's closed-form approximation) of width ξ = (K/2)(Z/A)ρd (PDG RPP 2024 §34.2.9), drawn as
//    −ln z² from the layer's normal z with its mean kept at a_a·ρ_a·d_a; plus the radiated energy of the whole cell,
//    which showers and is sampled like an electron's (ê·f of it). Only the mean radiative loss is modelled, not its
//    rare large transfers, which matter above about 100 GeV in heavy absorbers (validity.ts warns there).
//  - The loss rates are those of the entry energy: across a 1.5 m iron stack a 10 GeV muon loses 2.3 GeV and its
//    a(E) changes by under 2 %. A muon stops once the cumulative loss reaches its kinetic energy: the cells behind
//    that point get nothing, the cell where it stops gets the remainder.
import { isMaterialName, material, type MaterialName } from '../core/materials'
import { betheMevCm2G, radiativeB } from '../core/muon-energy-loss'
import { tf } from '../core/tensor'
import { MUON_MASS_GEV } from '../core/units'
import type { Cell } from './stack'

/** mean of the standard Moyal distribution, γ_E + ln 2 */
const MOYAL_MEAN = 0.5772156649 + Math.LN2

function stoppingName(name: string): MaterialName {
  if (!isMaterialName(name)) throw new Error(`no muon stopping data for material '${name}'`)
  return name
}

/** ionisation a(E) and radiative b(E)·E losses of a muon of total energy e_gev, in GeV per metre of the material */
export function muonLossPerMetre(name: string, eGeV: number): { ion: number; rad: number } {
  const m = stoppingName(name)
  const e = Math.max(eGeV, MUON_MASS_GEV * 1.001)
  const p = Math.sqrt(e * e - MUON_MASS_GEV * MUON_MASS_GEV)
  const perMevCm2G = material(name).density_g_cm3 * 0.1 // MeV cm²/g → GeV/m
  return { ion: betheMevCm2G(m, p) * perMevCm2G, rad: radiativeB(m, e) * e * 1e3 * perMevCm2G }
}

/** loss rates per energy and cell, [nE, L] each, GeV/m, for the absorber (p) and the active layer (a) */
export type MuonRates = Record<'ionP' | 'radP' | 'ionA' | 'radA', tf.Tensor2D>

export function muonRates(cells: readonly Cell[], energies: readonly number[]): MuonRates {
  const table = (layer: (c: Cell) => string, part: 'ion' | 'rad') =>
    tf.tensor2d(energies.flatMap((e) => cells.map((c) => muonLossPerMetre(layer(c), e)[part])), [energies.length, cells.length])
  return {
    ionP: table((c) => c.absorber, 'ion'), radP: table((c) => c.absorber, 'rad'),
    ionA: table((c) => c.active, 'ion'), radA: table((c) => c.active, 'rad'),
  }
}

export interface MuonStack {
  dp: tf.Tensor1D
  da: tf.Tensor1D
  /** ê·f per cell: the visible share of the radiated energy */
  fe: tf.Tensor1D
  /** Moyal width per metre of active layer, GeV/m, [L] */
  xiA: tf.Tensor1D
  /** exclusive cumulative-sum matrix [L, L] */
  cum: tf.Tensor2D
}

/** deposited and visible energy per cell, [nE, S, L]; zs [nE, S, L] normals drive the straggling */
export function muonDeposits(s: MuonStack, r: MuonRates, energies: readonly number[], zs: tf.Tensor3D): { edep: tf.Tensor3D; visible: tf.Tensor3D } {
  const nE = energies.length
  const ion = r.ionP.mul(s.dp).add(r.ionA.mul(s.da))
  const rad = r.radP.mul(s.dp).add(r.radA.mul(s.da))
  const loss = ion.add(rad) // [nE, L]
  // stopping: what the muon has lost before and after each cell, capped at its kinetic energy
  const kinetic = tf.tensor2d(energies.map((e) => Math.max(e - MUON_MASS_GEV, 0)), [nE, 1])
  const before = tf.matMul(loss, s.cum, false, true)
  const kept = tf.minimum(before.add(loss), kinetic).sub(tf.minimum(before, kinetic))
  const share = kept.div(tf.maximum(loss, 1e-12))
  const moyal = tf.maximum(zs.square(), 1e-12).log().neg().sub(MOYAL_MEAN)
  const meanVisible = r.ionA.mul(s.da).add(rad.mul(s.fe))
  const visible = moyal.mul(s.da.mul(s.xiA)).add(meanVisible.expandDims(1)).mul(share.expandDims(1))
  return { edep: tf.zerosLike(zs).add(kept.expandDims(1)) as tf.Tensor3D, visible: visible as tf.Tensor3D }
}
