// The rear-leakage correction that test beams apply to a longitudinally segmented calorimeter: a shower that starts
// late or develops slowly leaks more out of the back, and the share of its energy seen in the rear of the stack
// measures how late it is. So E/Ê − 1 is fitted, per beam energy, as a quadratic in that share r on simulated showers
// of known energy, and each shower's Ê is multiplied by 1 + the fitted value at its r. ATLAS corrects its electrons'
// energy behind the calorimeter from their longitudinal shower profile in this way (ATLAS Collaboration, "Expected
// performance of the ATLAS experiment", CERN-OPEN-2008-020, arXiv:0901.0512, "Calibration of electrons and
// photons"), with a parametrisation in the shower's depth; the rear share is what the layers measure most directly
// of the leaking tail.
// The fit and its use are cross-fitted: the showers of even index are corrected with the fit to the odd ones and the
// other way round, so no shower is corrected by a fit that saw it. A homogeneous stack (a crystal) is read out as one
// block and has no rear share: evaluate.ts gives it no correction.
import { solveLinear } from '../core/linear-solve'

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

/** a fold of fewer showers gets no correction: three coefficients fitted to a handful of showers would be noise */
const MIN_FOLD = 30

/** least-squares c0 + c1 u + c2 u² ≈ E/Ê − 1 over the showers of parity `fold` (u the share standardised by m, sd) */
function fitFold(reco: ArrayLike<number>, share: ArrayLike<number>, energy: number, fold: number, m: number, sd: number): number[] {
  const A = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], b = [0, 0, 0]
  let n = 0
  for (let s = fold; s < reco.length; s += 2) {
    if (!(reco[s] > 0)) continue
    n++
    const u = (share[s] - m) / sd, x = [1, u, u * u], y = energy / reco[s] - 1
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
    out[s] = reco[s] * (1 + c[0] + c[1] * u + c[2] * u * u)
  }
  return out
}
