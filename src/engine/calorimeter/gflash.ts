// GFLASH longitudinal shower parameters (Grindhammer & Peters, hep-ex/0001020; coefficients as in Geant4
// GVFlashHomoShowerTuning / GFlashSamplingShowerTuning and CMSSW EMECALShowerParametrization).
// The profile is a gamma distribution in depth t (in X0):  dE/dt = E β^α t^(α−1) e^(−βt) / Γ(α),  with the
// shower maximum T = (α−1)/β. y = E/Ec,eff.
//
// Individual showers fluctuate with correlated log-normal (ln T, ln α); we draw them by reparameterisation
// (z1, z2 ~ N(0,1) from a seeded stream) so that gradients flow through the means, widths and correlation:
//   ln T = ⟨ln T⟩ + σ_T (√((1+ρ)/2) z1 + √((1−ρ)/2) z2)
//   ln α = ⟨ln α⟩ + σ_α (√((1+ρ)/2) z1 − √((1−ρ)/2) z2)
// with Geant4's clamps T ≥ 1, α ≥ 1.1, σ ≤ 0.5, ⟨ln T⟩, ⟨ln α⟩ ≥ 0.1.
import { tf } from '../core/tensor'

/** average homogeneous parameters (hep-ex/0001020 eqs. for ⟨T_hom⟩, ⟨α_hom⟩), plain numbers */
export function gflashAverageHomogeneous(energy_gev: number, ec_mev: number, z: number): { T: number; alpha: number; beta: number } {
  const lny = Math.log((energy_gev * 1000) / ec_mev)
  const T = lny - 0.858
  const alpha = 0.21 + (0.492 + 2.38 / z) * lny
  return { T, alpha, beta: (alpha - 1) / T }
}

/** average sampling-calorimeter parameters (CMSSW): T_sam = T_hom − 0.59/F_S − 0.53(1−ê); α_sam = α_hom − 0.444/F_S */
export function gflashAverageSampling(
  energy_gev: number, ec_eff_mev: number, z_eff: number, fs: number, ehat: number,
): { T: number; alpha: number; beta: number } {
  const h = gflashAverageHomogeneous(energy_gev, ec_eff_mev, z_eff)
  const T = h.T - 0.59 / fs - 0.53 * (1 - ehat)
  const alpha = h.alpha - 0.444 / fs
  return { T, alpha, beta: (alpha - 1) / T }
}

/** the medium as GFLASH sees it; scalars are rank-0 tensors so that gradients reach the thicknesses */
export interface GflashMedium {
  /** ln(E/Ec,eff) per beam energy, [nE] */
  lnY: tf.Tensor1D
  zEff: tf.Scalar
  /** 1/F_S and 1−ê; both null for a homogeneous calorimeter */
  invFs: tf.Scalar | null
  oneMinusEhat: tf.Scalar | null
}

/** parameters of the correlated log-normal (ln T, ln α), each [nE] */
export interface GflashDistribution {
  muLnT: tf.Tensor1D
  sigLnT: tf.Tensor1D
  muLnA: tf.Tensor1D
  sigLnA: tf.Tensor1D
  rho: tf.Tensor1D
}

const sigmaFrom = (a: number, b: number, lnY: tf.Tensor1D) => tf.maximum(lnY.mul(b).add(a), 2).reciprocal() as tf.Tensor1D

export function gflashDistribution(m: GflashMedium): GflashDistribution {
  const { lnY, zEff } = m
  // homogeneous means: ⟨ln T⟩ = ln(ln y − 0.812), ⟨ln α⟩ = ln(0.81 + (0.458 + 2.26/Z) ln y)
  let expT: tf.Tensor = lnY.sub(0.812)
  let expA: tf.Tensor = lnY.mul(zEff.reciprocal().mul(2.26).add(0.458)).add(0.81)
  let sigLnT: tf.Tensor1D, sigLnA: tf.Tensor1D, rho: tf.Tensor1D
  if (m.invFs && m.oneMinusEhat) {
    // sampling: ⟨ln T⟩ = ln(exp⟨ln T_hom⟩ − 0.55/F_S − 0.69(1−ê)), ⟨ln α⟩ = ln(exp⟨ln α_hom⟩ − 0.476/F_S)
    expT = expT.sub(m.invFs.mul(0.55)).sub(m.oneMinusEhat.mul(0.69))
    expA = expA.sub(m.invFs.mul(0.476))
    sigLnT = sigmaFrom(-2.5, 1.25, lnY)
    sigLnA = sigmaFrom(-0.82, 0.79, lnY)
    rho = lnY.mul(-0.023).add(0.784)
  } else {
    sigLnT = sigmaFrom(-1.4, 1.26, lnY)
    sigLnA = sigmaFrom(-0.58, 0.86, lnY)
    rho = lnY.mul(-0.023).add(0.705)
  }
  const floor = Math.exp(0.1)
  return {
    muLnT: tf.maximum(expT, floor).log() as tf.Tensor1D,
    sigLnT,
    muLnA: tf.maximum(expA, floor).log() as tf.Tensor1D,
    sigLnA,
    rho: tf.clipByValue(rho, -0.99, 0.99) as tf.Tensor1D,
  }
}

/** per-shower (α, β, T), each [nE, S], from standard normals z1, z2 of shape [nE, S] */
export function drawShowerParameters(d: GflashDistribution, z1: tf.Tensor2D, z2: tf.Tensor2D): { alpha: tf.Tensor2D; beta: tf.Tensor2D; T: tf.Tensor2D } {
  const col = (x: tf.Tensor1D) => x.expandDims(1)
  const c1 = col(d.rho.add(1).div(2).sqrt() as tf.Tensor1D)
  const c2 = col(tf.scalar(1).sub(d.rho).div(2).sqrt() as tf.Tensor1D)
  const u = z1.mul(c1)
  const v = z2.mul(c2)
  const lnT = col(d.muLnT).add(col(d.sigLnT).mul(u.add(v)))
  const lnA = col(d.muLnA).add(col(d.sigLnA).mul(u.sub(v)))
  const T = tf.maximum(lnT.exp(), 1) as tf.Tensor2D
  const alpha = tf.maximum(lnA.exp(), 1.1) as tf.Tensor2D
  return { alpha, beta: alpha.sub(1).div(T) as tf.Tensor2D, T }
}
