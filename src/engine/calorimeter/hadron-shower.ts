// Pion deposits in tensor ops (the formulas and their sources are in hadronic.ts). Per cell: the energy
// deposited, and the "EM-equivalent" energy whose visible signal ê·f·E the sampling step draws around.
//
// Pions: the first interaction at δ_λ = −ln(1 − Φ(z2)) interaction lengths (exponential, mean 1 λ_I); before it the
// pion ionises like a mip; from it the Bock profile, integrated per cell exactly as differences of the regularised
// incomplete gamma function P(a, x) (a < 1 at low energy makes the profile singular at its origin, which a
// quadrature grid would mis-weight). The first interaction sits at the same fraction of the stack's depth in X0 as in
// λ, exact for a uniform stack. The hadronic fraction f_h fluctuates log-normally (z1); the visible signal of the
// shower is ê f (f_em + f_h·h/e) of the deposit, with e/h from the stack's materials. The face contains the core
// (f_em) and the halo (f_h) to different degrees (hadron-lateral.ts).
//
// Muons (muon-response.ts) share the columns: xiA is the Moyal width of their straggling in the active layers.
import { material } from '../core/materials'
import { tf } from '../core/tensor'
import {
  BOCK, COMPOSITION, FH_RELATIVE_SPREAD, GROOM, HADRON_SAMPLING_A, NEUTRON_VISIBILITY_Q, neutronRemoval,
} from './hadronic'
import { hadronContainment } from './hadron-lateral'
import { lnGamma } from './lgamma'
import type { Cell } from './stack'

/** ξ[GeV] = XI_K·(Z/A)·ρ[g/cm³]·d[m]: K/2 = 0.1535 MeV cm²/mol, d in cm */
const XI_K = 0.1535e-3 * 100
/** terms of the incomplete-gamma series; enough for x ≤ X_MAX */
const SERIES_TERMS = 90
const X_MAX = 45
const TABLE_POINTS = 4096

export type HadronColumns = Record<'invLamP' | 'invLamA' | 'kHa' | 'kAllP' | 'kAllA' | 'xiA', tf.Tensor1D>

export function hadronColumns(cells: readonly Cell[]): HadronColumns {
  const col = (f: (c: Cell) => number) => tf.tensor1d(cells.map(f))
  const lam = (name: string) => (material(name).lambda_i_g_cm2 / material(name).density_g_cm3) / 100
  const all = (name: string) => neutronRemoval(name).kH + neutronRemoval(name).kA
  return {
    invLamP: col((c) => 1 / lam(c.absorber)),
    invLamA: col((c) => 1 / lam(c.active)),
    kHa: col((c) => neutronRemoval(c.active).kH),
    kAllP: col((c) => all(c.absorber)),
    kAllA: col((c) => all(c.active)),
    xiA: col((c) => XI_K * (material(c.active).z / material(c.active).a) * material(c.active).density_g_cm3),
  }
}

/** regularised lower incomplete gamma P(a, x), x ≥ 0, by its power series; a broadcasts against x */
export function gammaP(a: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const xs = tf.clipByValue(x, 1e-30, X_MAX)
  let term: tf.Tensor = tf.onesLike(xs)
  let sum: tf.Tensor = term
  for (let n = 1; n < SERIES_TERMS; n++) {
    term = term.mul(xs).div(a.add(n))
    sum = sum.add(term)
  }
  const lnPre = a.mul(xs.log()).sub(xs).sub(lnGamma(a.add(1)))
  return tf.minimum(lnPre.add(sum.log()).exp(), 1)
}

/**
 * P(a_e, x) for every shower and boundary by cubic Hermite interpolation in a table of P and its density
 * p = x^(a−1) e^(−x)/Γ(a) over [0, X_MAX] per energy: the series runs on [nE, M] instead of on every shower,
 * which keeps memory small, and the interpolant is C¹, so its gradient (a custom gradient: the table indices
 * carry none) is continuous and matches finite differences. a: [nE, 1, 1]; x: [nE, S, B].
 */
export function gammaPInterpolated(a: tf.Tensor3D, x: tf.Tensor3D): tf.Tensor3D {
  const [nE, S, B] = x.shape
  const M = TABLE_POINTS
  const h = X_MAX / M
  const a2 = a.reshape([nE, 1])
  const grid = tf.range(0, M + 1).mul(h).reshape([1, M + 1])
  const P = gammaP(a2, grid) as tf.Tensor2D // [nE, M+1]
  const knots = grid.slice([0, 1], [1, M])
  const dens = a2.sub(1).mul(knots.log()).sub(knots).sub(lnGamma(a2)).exp()
  // at x = 0 the density is singular for a < 1: the first knot takes the secant slope
  const secant = P.slice([0, 1], [nE, 1]).div(h)
  const p = tf.concat([secant, dens], 1).mul(h) as tf.Tensor2D // slopes per table step
  const one = tf.scalar(1, 'int32')
  const rowOffset = tf.range(0, nE, 1, 'int32').mul(tf.scalar(M + 1, 'int32')).reshape([nE, 1])
  const interp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, save] = args as [tf.Tensor, tf.GradSaveFunc]
    const u = tf.clipByValue(xIn, 0, X_MAX * (1 - 1e-6)).div(h).reshape([nE, S * B])
    const k = tf.floor(u).toInt().add(rowOffset)
    const t = u.sub(tf.floor(u))
    // one flat gather (row offsets added to the indices) rather than a batched one
    const at = (table: tf.Tensor2D, idx: tf.Tensor) => tf.gather(table.reshape([nE * (M + 1)]), idx)
    const P0 = at(P, k), P1 = at(P, k.add(one)), p0 = at(p, k), p1 = at(p, k.add(one))
    const t2 = t.square(), t3 = t2.mul(t)
    const value = P0.mul(t3.mul(2).sub(t2.mul(3)).add(1)).add(p0.mul(t3.sub(t2.mul(2)).add(t)))
      .add(P1.mul(t2.mul(3).sub(t3.mul(2)))).add(p1.mul(t3.sub(t2)))
    const slope = P0.sub(P1).mul(t2.sub(t).mul(6)).add(p0.mul(t2.mul(3).sub(t.mul(4)).add(1))).add(p1.mul(t2.mul(3).sub(t.mul(2))))
    save([slope.div(h).reshape([nE, S, B])])
    return { value: value.reshape([nE, S, B]), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [dy.mul(saved[0])] }
  })
  return interp(x) as tf.Tensor3D
}

/** inclusive cumulative sums as boundaries [L+1] (0 first) of per-cell widths [L], with cum from exclusiveCumsumMatrix */
function boundaries(width: tf.Tensor1D, cum: tf.Tensor2D): tf.Tensor1D {
  const L = width.shape[0]
  const front = tf.matMul(cum, width.expandDims(1)).reshape([L])
  return tf.concat([front, width.sum().reshape([1])]) as tf.Tensor1D
}

export interface StackTensors {
  dp: tf.Tensor1D
  da: tf.Tensor1D
  cellX0: tf.Tensor1D
  /** minimum-ionising loss per metre of absorber and active, and ρ, ρZ of the absorbers (per cell) */
  sp: tf.Tensor1D
  sa: tf.Tensor1D
  rhop: tf.Tensor1D
  rhoZp: tf.Tensor1D
  rhoa: tf.Tensor1D
  rhoZa: tf.Tensor1D
  ehat: tf.Scalar
  cum: tf.Tensor2D
  homogeneous: boolean
  /** Molière radius of the stack (m) and the equal-area radius of its face (m), for the lateral containment */
  rmEff: tf.Scalar
  faceRadius: number
}

/** h/e of the stack (hadronic.ts: hadronicResponse), differentiable in the thicknesses */
export function hOverE(s: StackTensors, h: HadronColumns): tf.Scalar {
  const visA = s.da.mul(s.sa).sum(), visP = s.dp.mul(s.sp).sum()
  const fMip = visA.div(visA.add(visP))
  const sH = s.da.mul(h.kHa).sum().div(s.da.mul(h.kAllA).add(s.dp.mul(h.kAllP)).sum())
  const zAbs = s.homogeneous
    ? s.da.mul(s.rhoZa).sum().div(s.da.mul(s.rhoa).sum())
    : s.dp.mul(s.rhoZp).sum().div(s.dp.mul(s.rhop).sum())
  const fn = zAbs.mul(COMPOSITION.fnLead / 82)
  const hOverMip = fn.mul(sH.mul(NEUTRON_VISIBILITY_Q).div(fMip).sub(1)).add(1 - COMPOSITION.fInv)
  return hOverMip.div(s.ehat) as tf.Scalar
}

export interface Deposits {
  /** energy deposited per cell [nE, S, L], GeV */
  edep: tf.Tensor3D
  /** EM-equivalent energy per cell (visible = ê f × this) [nE, S, L] */
  emEquivalent: tf.Tensor3D
}

/** pion showers: energies [nE], z1, z2 [nE, S] */
export function pionDeposits(s: StackTensors, h: HadronColumns, energies: readonly number[], z1: tf.Tensor2D, z2: tf.Tensor2D): Deposits {
  const [nE, S] = z1.shape
  const L = s.dp.shape[0]
  const E = tf.tensor1d(energies as number[]).reshape([nE, 1])
  const lnE = tf.tensor1d(energies.map((e) => Math.log(e))).reshape([nE, 1, 1])
  const cellLam = s.dp.mul(h.invLamP).add(s.da.mul(h.invLamA)) as tf.Tensor1D
  const depthLam = cellLam.sum(), depthX0 = s.cellX0.sum(), depth = s.dp.add(s.da).sum()
  const bLam = boundaries(cellLam, s.cum), bX0 = boundaries(s.cellX0, s.cum)
  // first interaction, in λ and in X0 (same fraction of the depth)
  const tail = tf.maximum(tf.scalar(1).sub(tf.erf(z2.div(Math.SQRT2))).mul(0.5), 1e-7)
  const startLam = tail.log().neg().expandDims(2) as tf.Tensor3D // [nE, S, 1]
  const startX0 = startLam.mul(depthX0.div(depthLam))
  // mip track in front of the first interaction
  const frontLam = bLam.slice([0], [L])
  const before = tf.clipByValue(startLam.sub(frontLam).div(cellLam), 0, 1) // [nE, S, L]
  const mipCell = s.dp.mul(s.sp).add(s.da.mul(s.sa))
  const track = before.mul(mipCell) as tf.Tensor3D
  const eShower = tf.relu(E.sub(track.sum(2))).expandDims(2) // [nE, S, 1]
  // Bock profile: two gamma components in X0 and in λ, weighted by their integrals
  const a = lnE.mul(BOCK.a1).add(BOCK.a0)
  const d = lnE.mul(BOCK.d1).add(BOCK.d0)
  const x0Len = depth.div(depthX0), lamLen = depth.div(depthLam)
  const wX = a.mul(-Math.log(BOCK.b)).exp().mul(x0Len).mul(BOCK.w)
  const wL = a.mul(d.log().neg()).exp().mul(lamLen).mul(1 - BOCK.w)
  const sX = wX.div(wX.add(wL))
  const cdf = (bounds: tf.Tensor1D, start: tf.Tensor, rate: tf.Tensor | number) => {
    const x = tf.relu(bounds.reshape([1, 1, L + 1]).sub(start)).mul(rate)
    const P = gammaPInterpolated(a as tf.Tensor3D, x as tf.Tensor3D)
    // float32 rounding can make a difference of equal table values slightly negative
    return tf.relu(P.slice([0, 0, 1], [nE, S, L]).sub(P.slice([0, 0, 0], [nE, S, L])))
  }
  const profile = cdf(bX0, startX0, BOCK.b).mul(sX).add(cdf(bLam, startLam, d).mul(tf.scalar(1).sub(sX)))
  const shower = profile.mul(eShower)
  // hadronic fraction per shower, log-normal about Groom's mean
  const fhMean = tf.minimum(E.div(GROOM.e0_gev).pow(GROOM.m - 1), 1)
  const sig = FH_RELATIVE_SPREAD
  const fh = tf.minimum(fhMean.mul(z1.mul(sig).sub(0.5 * sig * sig).exp()), 1).expandDims(2)
  // lateral containment of the core (f_em) and of the halo (f_h), hadron-lateral.ts
  const kept = hadronContainment(s.faceRadius, s.rmEff, lamLen as tf.Scalar)
  const em = tf.scalar(1).sub(fh).mul(kept.em), had = fh.mul(kept.h)
  return {
    edep: shower.mul(em.add(had)).add(track) as tf.Tensor3D,
    emEquivalent: shower.mul(em.add(had.mul(hOverE(s, h)))).add(track.div(s.ehat)) as tf.Tensor3D,
  }
}

/** κ per cell for pion showers: the hadronic rule's 11.5 %² · ê · (visible mip energy of the cell in MeV) */
export function hadronKappa(s: StackTensors, quantum: tf.Tensor1D): tf.Tensor1D {
  return s.da.mul(s.sa).mul(1000 * HADRON_SAMPLING_A ** 2).mul(s.ehat).add(quantum) as tf.Tensor1D
}
