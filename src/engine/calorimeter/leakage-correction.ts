// The rear-leakage correction that test beams apply to a longitudinally segmented calorimeter: a shower that starts
// late or develops slowly leaks more out of the back, and the share of its energy seen in the rear of the stack
// measures how late it is. So the energy that leaks is estimated as E·(c0 + c1 r + c2 r²), a quadratic in that share
// r, added to each shower's Ê; the coefficients are fitted per beam energy E by least squares of the corrected energy
// against E, on simulated showers of known energy (so the corrected mean is E). ATLAS corrects its electrons'
// energy behind the calorimeter from their longitudinal shower profile in this way (ATLAS Collaboration, "Expected
// performance of the ATLAS experiment", CERN-OPEN-2008-020, arXiv:0901.0512, "Calibration of electrons and
// photons"), with a parametrisation in the shower's depth; the rear share is what the layers measure most directly
// of the leaking tail.
// The fit and its use are cross-fitted: the showers of even index are corrected with the fit to the odd ones and the
// other way round, so no shower is corrected by a fit that saw it. A homogeneous stack (a crystal) is read out as one
// block and has no rear share: evaluate.ts gives it no correction.
// On the tape (optimizer.leakage_correction), the training loss takes the corrected energies with the fit made on
// the batch itself, so the optimiser designs for the reconstruction that will be used; three coefficients fitted to
// thousands of showers per energy leave σ biased low by a fraction 3/(2S), and the validation stays cross-fitted.
import { solveLinear } from '../core/linear-solve'
import { tf } from '../core/tensor'
import { solve3 } from './loss'

/** depth of the rear of the stack, in X0, whose share of a shower's energy is the correction's variable */
export const REAR_X0 = 3

/** per cell: 1 if its centre lies within REAR_X0 of the stack's back face (the last cell at least), from the cells'
 *  thicknesses in X0 */
export function rearCells(cellX0: ArrayLike<number>): Uint8Array {
  const L = cellX0.length, out = new Uint8Array(L)
  let back = 0
  for (let l = L - 1; l >= 0; l--) {
    if (l < L - 1 && back + 0.5 * cellX0[l] > REAR_X0) break
    out[l] = 1
    back += cellX0[l]
  }
  return out
}

/** per shower s of S: the share of its calibrated cell energies cal [S, L] in the rear cells (0 if it left nothing),
 *  into out from `at` */
export function rearShares(cal: ArrayLike<number>, S: number, rear: Uint8Array, out: Float64Array, at = 0): void {
  const L = rear.length
  for (let s = 0; s < S; s++) {
    let e = 0, r = 0
    for (let l = 0; l < L; l++) { const c = cal[s * L + l]; e += c; if (rear[l]) r += c }
    out[at + s] = e > 0 ? r / e : 0
  }
}

/** the fit's target 1 − Ê/E, with Ê taken as at least E/2: a shower that lost more than half its energy (or that
 *  noise took below zero) is an outlier whose pull on the fit this bounds */
const target = (reco: number, energy: number) => 1 - Math.max(reco, 0.5 * energy) / energy

/** a fold of fewer showers gets no correction: three coefficients fitted to a handful of showers would be noise */
const MIN_FOLD = 30

/** the c minimising Σ (Ê + E (c0 + c1 u + c2 u²) − E)² over the showers of parity `fold` (u the share standardised
 *  by m, sd): least squares of 1 − Ê/E on (1, u, u²) */
function fitFold(reco: ArrayLike<number>, share: ArrayLike<number>, energy: number, fold: number, m: number, sd: number): number[] {
  const A = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], b = [0, 0, 0]
  let n = 0
  for (let s = fold; s < reco.length; s += 2) {
    if (!Number.isFinite(reco[s])) continue
    n++
    const u = (share[s] - m) / sd, x = [1, u, u * u], y = target(reco[s], energy)
    for (let i = 0; i < 3; i++) { b[i] += x[i] * y; for (let j = 0; j < 3; j++) A[i][j] += x[i] * x[j] }
  }
  const c = n >= MIN_FOLD ? solveLinear(A, b) : null
  return c && c.every(Number.isFinite) ? c : [0, 0, 0]
}

/** the reconstructed energies `reco` of one beam energy's showers, corrected by their rear shares (module comment) */
export function leakageCorrected(reco: ArrayLike<number>, share: ArrayLike<number>, energy: number): Float64Array {
  const n = reco.length
  let m = 0, v = 0
  for (let s = 0; s < n; s++) m += share[s] / n
  for (let s = 0; s < n; s++) v += (share[s] - m) ** 2 / n
  const sd = Math.sqrt(v) || 1
  // fits[0], used for the even showers, is the odd ones' fit
  const fits = [fitFold(reco, share, energy, 1, m, sd), fitFold(reco, share, energy, 0, m, sd)]
  const out = new Float64Array(n)
  for (let s = 0; s < n; s++) {
    const c = fits[s & 1], u = (share[s] - m) / sd
    out[s] = reco[s] + energy * (c[0] + c[1] * u + c[2] * u * u)
  }
  return out
}

/** a ridge on the fit's u and u² terms, per shower: it keeps the fit defined when every shower has the same rear
 *  share (then u = 0 and the correction adds the mean leakage only), and is negligible otherwise (u is standardised) */
const RIDGE = 1e-6

/**
 * leakageCorrected on the tape, for every beam energy at once: reco [nE, S] the reconstructed energies, cal
 * [nE, S, L] the cells' calibrated energies, rear the rear cells (rearCells). The fit of each energy is made on its
 * own showers (module comment; the same target); the gradient flows through the energies, the shares and the fit.
 */
export function leakageCorrectedOnTape(reco: tf.Tensor2D, cal: tf.Tensor3D, rear: Uint8Array, energies: readonly number[]): tf.Tensor2D {
  const [nE, S] = reco.shape
  const share = cal.mul(tf.tensor1d(Float32Array.from(rear))).sum(2).div(tf.maximum(cal.sum(2), 1e-12)) as tf.Tensor2D
  const dev = share.sub(share.mean(1, true))
  const u = dev.div(dev.square().mean(1, true).add(1e-24).sqrt().add(1e-12)) as tf.Tensor2D
  const x = [tf.onesLike(u), u, u.square()] as tf.Tensor2D[]
  const E = tf.tensor2d(energies as number[], [nE, 1])
  const y = tf.sub(1, tf.maximum(reco, E.mul(0.5)).div(E)) // target()
  const ridge = RIDGE * S
  const M = x.map((xi, i) => x.map((xj, j) => {
    const sum = xi.mul(xj).sum(1) as tf.Tensor1D
    return i === j && i > 0 ? sum.add(ridge) as tf.Tensor1D : sum
  }))
  const c = solve3(M, x.map((xi) => xi.mul(y).sum(1) as tf.Tensor1D)).map((ci) => ci.expandDims(1))
  return reco.add(E.mul(c[0].add(c[1].mul(u)).add(c[2].mul(x[2])))) as tf.Tensor2D
}
