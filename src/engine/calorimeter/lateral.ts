// Lateral containment for a finite transverse size: the GFLASH radial profile (Grindhammer & Peters,
// hep-ex/0001020 §3.2; coefficients of Geant4's GFlash tuning) integrated analytically,
//   F(r) = p·r²/(r² + R_C²) + (1−p)·r²/(r² + R_T²),     r in units of R_M,eff,
// with τ = t/T (depth over the shower maximum, T the median of the energy's fluctuated maxima):
//   R_C = z1 + z2 τ,              z1 = 0.0251 + 0.00319 ln E,  z2 = 0.1162 − 0.000381 Z
//   R_T = k1 [e^{k3(τ−k2)} + e^{k4(τ−k2)}],  k1 = 0.659 − 0.00309 Z, k2 = 0.645, k3 = −2.59, k4 = 0.3585 + 0.0412 ln E
//   p   = p1 exp((p2−τ)/p3 − exp((p2−τ)/p3)),  p1 = 2.632 − 0.00094 Z, p2 = 0.401 + 0.00187 Z, p3 = 1.313 − 0.0686 ln E
// plus the sampling corrections in (1−ê) and 1/F_S. The beam hits the centre of a square face of side s, which we
// replace by the circle of equal area, r = s/√π.
//
// The beam's impact points fill a square of side `beam.spot_size` around the centre; each shower's containment
// moves by ∂F/∂(d²)·d² (below), one more first-order term in the profile's matrix product.
//
// Lateral fluctuations, as GFLASH produces them (model.ts applies both): (1) τ is each shower's own t/T_s, with T_s
// from the shower's centre of gravity, T_s = (α_s/β_s)(⟨α⟩−1)/⟨α⟩ (Geant4's ComputeTau), so a shower that develops
// late is also wide late; (2) GFLASH deposits a shower as N_spot energy spots, each inside the
// face with probability F, so the contained fraction of one shower has a binomial spread:
//   σ(F)/F = √((1 − F)/(F·N_spot)),  N_spot = 93·ln(Z_eff)·E^0.876 (E in GeV; hep-ex/0001020, eq. for the
//   homogeneous spot number, Geant4 GFlashHomoShowerParameterisation::GetNspot),
// with F the shower's mean containment at this energy.
import { tf } from '../core/tensor'
import type { GflashDistribution } from './gflash'
import { lnGamma } from './lgamma'
import type { DepthGrid } from './profile'

export interface LateralInputs {
  /** ln(E/GeV), [nE] */
  lnE: tf.Tensor1D
  /** shower maximum per energy in X0, [nE] */
  tMax: tf.Tensor1D
  /** grid depths in X0, [G] */
  t: tf.Tensor1D
  /** radius of the equal-area circle of the face in units of R_M,eff */
  r: tf.Scalar
  zEff: tf.Scalar
  invFs: tf.Scalar | null
  oneMinusEhat: tf.Scalar | null
}

/** equal-area radius of a square face of side s */
export const equalAreaRadius = (side: number): number => side / Math.sqrt(Math.PI)

/**
 * Contained fraction per energy and grid point, F [nE, G], and its change per unit squared offset of the impact
 * point from the face's centre, ∂F/∂(d²) [nE, G] (d in units of R_M,eff). For a radial density whose integral is
 * r²/(r²+R²), the disk of radius r around an impact point at distance d ≪ r contains, to second order in d,
 * F(r) + (d²/2)·π r ρ'(r) = F(r) − 2 d² r² R²/(r² + R²)³ (Taylor expansion; the linear term vanishes by symmetry,
 * the quadratic one is ∮ ∂ρ/∂n over the disk's edge).
 */
export function lateralContainment(inp: LateralInputs): { F: tf.Tensor2D; perOffset2: tf.Tensor2D } {
  const { lnE, zEff } = inp
  const col = (x: tf.Tensor1D) => x.expandDims(1)
  const tau = inp.t.expandDims(0).div(col(inp.tMax)) // [nE, G]
  const z1 = col(lnE.mul(0.00319).add(0.0251) as tf.Tensor1D)
  const z2 = zEff.mul(-0.000381).add(0.1162)
  let rc: tf.Tensor = z1.add(tau.mul(z2))
  const k1 = zEff.mul(-0.00309).add(0.659)
  const k4 = col(lnE.mul(0.0412).add(0.3585) as tf.Tensor1D)
  const dt = tau.sub(0.645)
  let rt: tf.Tensor = dt.mul(-2.59).exp().add(dt.mul(k4).exp()).mul(k1)
  const p1 = zEff.mul(-0.00094).add(2.632)
  const p2 = zEff.mul(0.00187).add(0.401)
  const p3 = col(lnE.mul(-0.0686).add(1.313) as tf.Tensor1D)
  const x = tf.sub(p2, tau).div(p3)
  let p: tf.Tensor = x.sub(x.exp()).exp().mul(p1)
  if (inp.invFs && inp.oneMinusEhat) {
    const e = tau.neg().exp().mul(inp.invFs)
    rc = rc.add(inp.oneMinusEhat.mul(-0.0203)).add(e.mul(0.0397))
    rt = rt.add(inp.oneMinusEhat.mul(-0.14)).sub(e.mul(0.495))
    const g = tau.sub(1).square().neg().exp().mul(inp.invFs).mul(-0.642).add(0.348)
    p = p.add(g.mul(inp.oneMinusEhat))
  }
  p = tf.clipByValue(p, 0, 1)
  rc = tf.maximum(rc, 1e-3)
  rt = tf.maximum(rt, 1e-3)
  const r2 = inp.r.square()
  const frac = (R: tf.Tensor) => r2.div(r2.add(R.square()))
  const offset = (R: tf.Tensor) => r2.mul(R.square()).mul(-2).div(r2.add(R.square()).pow(3))
  const q = tf.scalar(1).sub(p)
  return {
    F: p.mul(frac(rc)).add(q.mul(frac(rt))) as tf.Tensor2D,
    perOffset2: p.mul(offset(rc)).add(q.mul(offset(rt))) as tf.Tensor2D,
  }
}

/** mean lateral containment per energy [nE]: ln F [nE, G] weighted with the median shower's profile on the grid */
export function meanContainment(dist: GflashDistribution, grid: DepthGrid, lnF: tf.Tensor2D): tf.Tensor1D {
  const col = (x: tf.Tensor1D) => x.expandDims(1)
  const alpha = tf.maximum(dist.muLnA.exp(), 1.1) as tf.Tensor1D
  const T = tf.maximum(dist.muLnT.exp(), 1) as tf.Tensor1D
  const beta = alpha.sub(1).div(T) as tf.Tensor1D
  const lnf = col(alpha.sub(1) as tf.Tensor1D).mul(grid.lnt.expandDims(0)).sub(col(beta).mul(grid.t.expandDims(0)))
    .add(col(alpha.mul(beta.log()).sub(lnGamma(alpha)) as tf.Tensor1D)).add(grid.lnw.expandDims(0))
  const w = lnf.exp()
  return w.mul(lnF.exp()).sum(1).div(tf.maximum(w.sum(1), 1e-30)) as tf.Tensor1D
}

/** per-shower factor 1 + σ(F)/F·z on the contained energy, [nE, S] */
export function spotFluctuation(contained: tf.Tensor1D, zEff: tf.Scalar, energies: readonly number[], z: tf.Tensor2D): tf.Tensor2D {
  const nSpot = zEff.log().mul(93).mul(tf.tensor1d(energies.map((e) => e ** 0.876)))
  const F = tf.clipByValue(contained, 1e-6, 1)
  const rel = tf.maximum(tf.scalar(1).sub(F), 1e-10).div(F.mul(nSpot)).sqrt()
  return rel.expandDims(1).mul(z).add(1) as tf.Tensor2D
}
