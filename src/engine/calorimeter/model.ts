// The differentiable forward model of the sampling calorimeter: thicknesses → effective medium → GFLASH showers
// → per-cell deposits (longitudinal integration × lateral containment) → visible energy with sampling
// fluctuations and noise → reconstructed energy. Constant tensors (material columns) live in CaloModel; every
// per-step tensor is created inside the caller's tf.tidy.
import { dedxMin_GeV_m, material } from '../core/materials'
import { tf } from '../core/tensor'
import type { ShowerDraws } from './draws'
import { drawTensor } from './draw-tensors'
import { E_S_MEV, samplingRuleFactor } from './effective'
import { drawShowerParameters, gflashDistribution } from './gflash'
import { hadronColumns, hadronKappa, pionDeposits, type HadronColumns, type StackTensors } from './hadron-shower'
import { equalAreaRadius, lateralContainment, meanContainment, spotFluctuation } from './lateral'
import { muonDeposits, muonRates } from './muon-response'
import { cellFractions, delayedGrid, depthGrid, exclusiveCumsumMatrix, type LateralTerm } from './profile'
import { reconstruct } from './reco'
import { quantumGeV, samplingKappa, visibleEnergy } from './sampling'
import type { Cell } from './stack'

export interface ModelSpec {
  /** materials per cell (their thicknesses are not used: those come in as parameters) */
  cells: readonly Cell[]
  /** parameter index of each cell (a group of cells shares one absorber and one active thickness) */
  paramOf: Int32Array
  nParams: number
  /** quadrature points per cell */
  K: number
  transverseSize: number
  /** side of the square the beam's impact points fill uniformly, m (0: every shower at the centre) */
  spotSize: number
  particle: Particle
  /** electronic noise per layer channel, GeV of visible energy */
  noiseGeV: number
  /** photoelectrons per MeV of visible energy in scintillator layers (in a homogeneous stack: in the crystal) */
  scintillatorPePerMeV: number
  prices: { absorber_per_kg: number; active_per_m2: number }
  /** no absorber anywhere: GFLASH homogeneous parameters, ê = 1 */
  homogeneous: boolean
}

export type Particle = 'e-' | 'gamma' | 'pi-' | 'mu-'

/** A photon's shower is an electron's delayed by its first conversion, about one X0 (PDG RPP 2024 §34.5: the
 *  maxima differ by C_γ − C_e = 1 X0; the mean free path for conversion is 9/7 X0). A delay, not a stretch: the
 *  shape of the pair's shower is the electron's. */
export const PHOTON_DELAY_X0 = 1

/** step in ln τ of the central difference that gives ∂ln F/∂ln τ */
const TAU_STEP = 0.05

export interface ParamTensors {
  /** thicknesses in metres per parameter, [nParams] */
  absorber: tf.Tensor1D
  active: tf.Tensor1D
  /** calibration-weight offsets θ_i, [L] */
  theta: tf.Tensor1D
  dense: tf.Tensor1D | null
}

export interface EffectiveTensors {
  dp: tf.Tensor1D
  da: tf.Tensor1D
  depth: tf.Scalar
  depthX0: tf.Scalar
  cellX0: tf.Tensor1D
  zEff: tf.Scalar
  ecEffMeV: tf.Scalar
  rmEff: tf.Scalar
  invFs: tf.Scalar | null
  oneMinusEhat: tf.Scalar | null
  ehat: tf.Scalar
  /** minimum-ionising sampling fraction per cell, and ê·f */
  fmip: tf.Tensor1D
  fe: tf.Tensor1D
  kappa: tf.Tensor1D
}

export interface Simulated {
  eff: EffectiveTensors
  /** deposited fraction of the beam energy per cell [nE, S, L] (after lateral containment) */
  frac: tf.Tensor3D
  /** visible energy per layer [nE, S, L], GeV */
  vis: tf.Tensor3D
  /** reconstructed energy [nE, S], GeV */
  reco: tf.Tensor2D
  /** calibrated energy per layer [nE, S, L], GeV: the terms of Ê's weighted sum (reco.ts) */
  cal: tf.Tensor3D
}

/** quadrature points per cell: about 256 grid points in all, at least 2 per cell */
export const defaultK = (L: number): number => Math.max(2, Math.min(16, Math.ceil(256 / L)))

export class CaloModel {
  readonly L: number
  readonly K: number
  private readonly c: Record<string, tf.Tensor>
  private readonly identityMap: boolean
  /** material columns of pion and muon deposits; null for electrons and photons */
  private readonly hadron: HadronColumns | null

  constructor(readonly spec: ModelSpec) {
    const cells = spec.cells
    const L = (this.L = cells.length)
    this.K = spec.K
    const col = (f: (c: Cell) => number) => tf.tensor1d(cells.map(f))
    const P = (c: Cell) => material(c.absorber)
    const A = (c: Cell) => material(c.active)
    this.identityMap = spec.nParams === L && spec.paramOf.every((p, i) => p === i)
    const map = new Float32Array(L * spec.nParams)
    spec.paramOf.forEach((p, i) => { map[i * spec.nParams + p] = 1 })
    this.c = {
      map: tf.tensor2d(map, [L, spec.nParams]),
      cum: exclusiveCumsumMatrix(L),
      invX0p: col((c) => 1 / P(c).x0_m),
      invX0a: col((c) => 1 / A(c).x0_m),
      ecX0p: col((c) => P(c).ec_mev / P(c).x0_m),
      ecX0a: col((c) => A(c).ec_mev / A(c).x0_m),
      rhop: col((c) => P(c).density_g_cm3),
      rhoa: col((c) => A(c).density_g_cm3),
      rhoZp: col((c) => P(c).density_g_cm3 * P(c).z),
      rhoZa: col((c) => A(c).density_g_cm3 * A(c).z),
      sp: col((c) => dedxMin_GeV_m(P(c))),
      sa: col((c) => dedxMin_GeV_m(A(c))),
      rule2: col((c) => samplingRuleFactor(c.active) ** 2),
      // a homogeneous stack is one scintillating crystal: photostatistics only, no sampling fluctuation
      quantum: col((c) => (spec.homogeneous ? 1e-3 / spec.scintillatorPePerMeV : quantumGeV(c.active, spec.scintillatorPePerMeV))),
    }
    for (const t of Object.values(this.c)) tf.keep(t)
    this.hadron = spec.particle === 'pi-' || spec.particle === 'mu-' ? hadronColumns(cells) : null
    if (this.hadron) for (const t of Object.values(this.hadron)) tf.keep(t)
  }

  /** per-cell thicknesses and the effective medium (GFLASH's effective medium; see effective.ts for the formulas) */
  effective(p: ParamTensors): EffectiveTensors {
    const c = this.c
    const L = this.L
    const expand = (x: tf.Tensor1D) =>
      this.identityMap ? x : (tf.matMul(c.map as tf.Tensor2D, x.expandDims(1)).reshape([L]) as tf.Tensor1D)
    const dp = this.spec.homogeneous ? (tf.zeros([L]) as tf.Tensor1D) : expand(p.absorber)
    const da = expand(p.active)
    const cellX0 = dp.mul(c.invX0p).add(da.mul(c.invX0a)) as tf.Tensor1D
    const depthX0 = cellX0.sum() as tf.Scalar
    const depth = dp.add(da).sum() as tf.Scalar
    const ecw = dp.mul(c.ecX0p).add(da.mul(c.ecX0a)).sum() as tf.Scalar
    const mp = dp.mul(c.rhop), ma = da.mul(c.rhoa)
    const zEff = dp.mul(c.rhoZp).add(da.mul(c.rhoZa)).sum().div(mp.add(ma).sum()) as tf.Scalar
    let ehat: tf.Scalar, invFs: tf.Scalar | null = null, oneMinusEhat: tf.Scalar | null = null
    if (this.spec.homogeneous) {
      ehat = tf.scalar(1)
    } else {
      const zp = dp.mul(c.rhoZp).sum().div(mp.sum())
      const za = da.mul(c.rhoZa).sum().div(ma.sum())
      // ê = 1/(1 + 0.007 (Z_p − Z_a)), with mass-weighted Z over all absorber and all active layers
      ehat = zp.sub(za).mul(0.007).add(1).reciprocal() as tf.Scalar
      oneMinusEhat = tf.scalar(1).sub(ehat) as tf.Scalar
      invFs = depthX0.div(L) as tf.Scalar // 1/F_S = X0 per cell
    }
    const visA = da.mul(c.sa)
    const fmip = visA.div(visA.add(dp.mul(c.sp))) as tf.Tensor1D
    return {
      dp, da, depth, depthX0, cellX0, zEff,
      ecEffMeV: ecw.div(depthX0) as tf.Scalar,
      rmEff: depth.mul(E_S_MEV).div(ecw) as tf.Scalar,
      invFs, oneMinusEhat, ehat, fmip,
      fe: fmip.mul(ehat) as tf.Tensor1D,
      kappa: this.spec.homogeneous
        ? (c.quantum as tf.Tensor1D).add(tf.zerosLike(da)) as tf.Tensor1D
        : samplingKappa(ehat, da.mul(1000) as tf.Tensor1D, c.rule2 as tf.Tensor1D, c.quantum as tf.Tensor1D),
    }
  }

  /** one batch of showers: energies [nE] (GeV), draws for nE × S showers */
  simulate(p: ParamTensors, energies: readonly number[], draws: ShowerDraws, opts: { lateral?: boolean } = {}): Simulated {
    const { nE } = draws
    const L = this.L
    if (draws.L !== L || nE !== energies.length) throw new Error('draws do not match the stack or the energies')
    const eff = this.effective(p)
    const z1 = drawTensor(draws, 'z1') as tf.Tensor2D
    const z2 = drawTensor(draws, 'z2') as tf.Tensor2D
    const zs = drawTensor(draws, 'zs') as tf.Tensor3D
    const noise = draws.zn && this.spec.noiseGeV > 0 ? { sigma: this.spec.noiseGeV, z: drawTensor(draws, 'zn') as tf.Tensor3D } : null
    const E = tf.tensor1d(energies as number[]).reshape([nE, 1, 1])
    let edep: tf.Tensor3D, vis: tf.Tensor3D
    if (this.spec.particle === 'pi-') {
      const st = this.stackTensors(eff)
      const dep = pionDeposits(st, this.hadron!, energies, z1, z2)
      const kappa = this.spec.homogeneous ? eff.kappa : hadronKappa(st, this.c.quantum as tf.Tensor1D)
      edep = dep.edep
      vis = visibleEnergy(dep.emEquivalent, eff.fe, kappa, zs, noise)
    } else if (this.spec.particle === 'mu-') {
      const stack = { dp: eff.dp, da: eff.da, fe: eff.fe, xiA: this.hadron!.xiA, cum: this.c.cum as tf.Tensor2D }
      const dep = muonDeposits(stack, muonRates(this.spec.cells, energies), energies, zs)
      edep = dep.edep
      vis = noise ? dep.visible.add(noise.z.mul(noise.sigma)) as tf.Tensor3D : dep.visible
    } else {
      const spot = { ux: drawTensor(draws, 'ux') as tf.Tensor2D, uy: drawTensor(draws, 'uy') as tf.Tensor2D }
      const frac = this.emFractions(eff, energies, z1, z2, drawTensor(draws, 'zl') as tf.Tensor2D, spot, opts.lateral !== false)
      edep = frac.mul(E) as tf.Tensor3D
      vis = visibleEnergy(edep, eff.fe, eff.kappa, zs, noise)
    }
    const { reco, cal } = reconstruct(vis, eff.fe.reciprocal() as tf.Tensor1D, p.theta, p.dense)
    return { eff, frac: edep.div(E) as tf.Tensor3D, vis, reco, cal }
  }

  /**
   * GFLASH electron and photon showers: deposited fraction per cell [nE, S, L]. The lateral profile scales with
   * each shower's own depth (τ = t/T_s, as GFLASH draws its spots), to first order about the median; the
   * contained energy then fluctuates with the spot statistics of lateral.ts (zl).
   */
  private emFractions(
    eff: EffectiveTensors, energies: readonly number[], z1: tf.Tensor2D, z2: tf.Tensor2D, zl: tf.Tensor2D,
    spot: { ux: tf.Tensor2D; uy: tf.Tensor2D }, lateral: boolean,
  ): tf.Tensor3D {
    const lnE = tf.tensor1d(energies.map((e) => Math.log(e)))
    const lnY = lnE.add(Math.log(1000)).sub(eff.ecEffMeV.log()) as tf.Tensor1D
    const dist = gflashDistribution({ lnY, zEff: eff.zEff, invFs: eff.invFs, oneMinusEhat: eff.oneMinusEhat })
    const { alpha, beta } = drawShowerParameters(dist, z1, z2)
    const front = depthGrid(eff.cellX0, this.K, this.c.cum as tf.Tensor2D)
    const grid = this.spec.particle === 'gamma' ? delayedGrid(front, PHOTON_DELAY_X0) : front
    if (!lateral) return cellFractions(alpha, beta, grid, null)
    const tMed = tf.maximum(dist.muLnT.exp(), 1) as tf.Tensor1D
    const lateralAt = (tMax: tf.Tensor1D) => lateralContainment({
      lnE, tMax, t: grid.t,
      r: tf.scalar(equalAreaRadius(this.spec.transverseSize)).div(eff.rmEff) as tf.Scalar,
      zEff: eff.zEff, invFs: eff.invFs, oneMinusEhat: eff.oneMinusEhat,
    })
    const lnF = (tMax: tf.Tensor1D) => tf.maximum(lateralAt(tMax).F, 1e-30).log() as tf.Tensor2D
    const median = lateralAt(tMed)
    const base = tf.maximum(median.F, 1e-30).log() as tf.Tensor2D
    // ∂ln F/∂ln τ by a central difference in ln T (τ = t/T)
    const slope = lnF(tMed.mul(Math.exp(-TAU_STEP)) as tf.Tensor1D).sub(lnF(tMed.mul(Math.exp(TAU_STEP)) as tf.Tensor1D)).div(2 * TAU_STEP) as tf.Tensor2D
    // GFLASH's τ scales with the shower's own centre of gravity α_s/β_s, normalised so that the median shower has
    // τ = t/T (Geant4 GFlashHomoShowerParameterisation::ComputeTau; CMSSW EMShower): T_s = (α_s/β_s)(⟨α⟩−1)/⟨α⟩
    const aMed = tf.maximum(dist.muLnA.exp(), 1.1)
    const lnTs = alpha.log().sub(beta.log()).add(aMed.sub(1).div(aMed).log().expandDims(1))
    const shift = tf.clipByValue(tMed.log().expandDims(1).sub(lnTs), -0.5, 0.5) as tf.Tensor2D
    const frac = cellFractions(alpha, beta, grid, { base, slope, shift, offset: this.impactOffset(median, eff, spot) })
    const contained = meanContainment(dist, grid, base)
    return frac.mul(spotFluctuation(contained, eff.zEff, energies, zl).expandDims(2)) as tf.Tensor3D
  }

  /** the impact point's squared distance from the centre in R_M,eff², uniform over the beam spot, with ∂ln F/∂(d²) */
  private impactOffset(median: { F: tf.Tensor2D; perOffset2: tf.Tensor2D }, eff: EffectiveTensors, spot: { ux: tf.Tensor2D; uy: tf.Tensor2D }): LateralTerm['offset'] {
    const w = this.spec.spotSize
    if (!(w > 0)) return null
    const d2 = spot.ux.sub(0.5).square().add(spot.uy.sub(0.5).square()).mul(w * w).div(eff.rmEff.square()) as tf.Tensor2D
    return { perOffset2: median.perOffset2.div(tf.maximum(median.F, 1e-30)) as tf.Tensor2D, d2 }
  }

  private stackTensors(eff: EffectiveTensors): StackTensors {
    const c = this.c as Record<string, tf.Tensor1D>
    return {
      dp: eff.dp, da: eff.da, cellX0: eff.cellX0, sp: c.sp, sa: c.sa, rhop: c.rhop, rhoZp: c.rhoZp, rhoa: c.rhoa,
      rhoZa: c.rhoZa, ehat: eff.ehat, cum: this.c.cum as tf.Tensor2D, homogeneous: this.spec.homogeneous,
      rmEff: eff.rmEff, faceRadius: equalAreaRadius(this.spec.transverseSize),
    }
  }

  /** absorber mass × price per kg + number of active layers × face area × price per m² */
  cost(eff: EffectiveTensors): tf.Scalar {
    const area = this.spec.transverseSize ** 2
    const massPerArea = eff.dp.mul(this.c.rhop).sum().mul(1000) // kg/m² (ρ in g/cm³ × 1000 = kg/m³)
    return massPerArea.mul(area * this.spec.prices.absorber_per_kg).add(this.L * area * this.spec.prices.active_per_m2) as tf.Scalar
  }

  dispose(): void {
    for (const t of Object.values(this.c)) t.dispose()
    if (this.hadron) for (const t of Object.values(this.hadron)) t.dispose()
  }
}
