// Sampling: the visible energy of each active layer, with per-layer sampling fluctuations and electronic noise.
//
// Mean: a cell that receives E_i (GeV) of the shower shows V̄_i = ê · f_i · E_i in its active layer, with f_i the
// minimum-ionising sampling fraction of the cell and ê = e/mip (GFLASH: f_samp,e = ê·f_samp,mip, Grindhammer & Peters, hep-ex/0001020).
//
// Fluctuation: V_i = V̄_i + √(κ_i V̄_i) z_i, z_i ~ N(0,1) (reparameterised; the normal limit of GFLASH's Gamma
// with variance ∝ mean, Geant4 GFlashSamplingShowerParameterisation::ApplySampling), with
//     κ_i = c² · ê · d_a,i[mm] · g_i²,    c = 2.7 % √GeV,  g_i = 1.5 for silicon, else 1.
// Derivation: with the standard calibration w_i = 1/(ê f_i), Ê = Σ w_i V_i and
//     Var(Ê) = Σ w_i² κ_i V̄_i = Σ c² g_i² (d_a,i / f_i) E_i,
// so for a uniform stack σ²/E = c² g² d/f · (E_dep/E): exactly the rule a = 2.7 %·√(d_mm/f_samp) (Wigmans;
// Fabjan & Gianotti RMP 75 (2003) 1243), and for a non-uniform stack a² = Σ (E_i/E) a_i², an energy-weighted
// heuristic. Containment losses then add their own (longitudinal) fluctuations on top.
//
// Photostatistics (scintillator only; LAr and silicon collect charge, with negligible quantum statistics): a
// Poisson number of photoelectrons N = V/ε adds ε·V̄ to the variance, so κ_i += ε_i (ε = 1 GeV/(pe per GeV)).
// It gives a² += ε/(ê f), which is what stops an optimiser from making scintillator layers vanishingly thin (the
// sampling rule alone depends only on the absorber once f ≪ 1: d/f → d_p (dE/dx)_p/(dE/dx)_a).
//
// A homogeneous stack (no absorber) has no sampling fluctuation at all: κ = ε of the crystal's photostatistics.
//
// Noise: σ_noise (GeV of visible energy per layer channel) × an independent N(0,1) per layer and shower.
import { tf } from '../core/tensor'
import { SAMPLING_RULE_A } from './effective'

/** κ_i in GeV: c²·ê·d_a[mm]·g_i² + ε_i */
export function samplingKappa(ehat: tf.Scalar, activeMm: tf.Tensor1D, ruleFactor2: tf.Tensor1D, quantum: tf.Tensor1D): tf.Tensor1D {
  return activeMm.mul(ruleFactor2).mul(ehat).mul(SAMPLING_RULE_A ** 2).add(quantum) as tf.Tensor1D
}

/** energy per detected quantum ε (GeV) of an active material: photoelectrons for scintillator, else 0 */
export function quantumGeV(active: string, scintillatorPePerMeV: number): number {
  return active === 'scintillator' ? 1e-3 / scintillatorPePerMeV : 0
}

/**
 * edep: energy per cell [nE, S, L] (GeV); fe: ê·f_i [L]; kappa [L]; zs: N(0,1) [nE, S, L];
 * noise: per-layer σ in GeV with its N(0,1) draws, or null.
 */
export function visibleEnergy(
  edep: tf.Tensor3D, fe: tf.Tensor1D, kappa: tf.Tensor1D, zs: tf.Tensor3D,
  noise: { sigma: number; z: tf.Tensor3D } | null,
): tf.Tensor3D {
  const mean = edep.mul(fe)
  let v = mean.add(mean.mul(kappa).add(1e-12).sqrt().mul(zs))
  if (noise && noise.sigma > 0) v = v.add(noise.z.mul(noise.sigma))
  return v as tf.Tensor3D
}
