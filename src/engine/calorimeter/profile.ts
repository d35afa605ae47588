// Longitudinal integration: the energy fraction each cell receives, ∫ over the cell of the gamma profile.
// TF.js has no incomplete gamma, so we integrate numerically, but on a grid that moves with the geometry: each
// cell [t_i, t_{i+1}] (cumulative depths in X0, tensors of the thicknesses) gets K midpoints
// t_ik = t_i + (k+½)/K·(t_{i+1} − t_i), each with weight (t_{i+1} − t_i)/K. Every grid point and weight is a
// smooth function of every thickness in front of it, so the deposited fractions are differentiable w.r.t. all
// thicknesses (and w.r.t. α, β). Each beam energy's showers × grid points form an [S, G] integrand (G = L·K).
import { tf } from '../core/tensor'
import { expCellSums } from './cell-sums'
import { lnGamma } from './lgamma'

export interface DepthGrid {
  L: number
  K: number
  G: number
  /** grid points in X0, [G] */
  t: tf.Tensor1D
  lnt: tf.Tensor1D
  /** ln of the quadrature weight (cell thickness in X0 / K), [G] */
  lnw: tf.Tensor1D
  /** cell front boundaries in X0, [L], and the total depth in X0 */
  front: tf.Tensor1D
  total: tf.Scalar
}

/** lower-triangular ones [L, L] (strictly lower: exclusive cumulative sum); cumsum by matMul works on every backend */
export function exclusiveCumsumMatrix(L: number): tf.Tensor2D {
  const m = new Float32Array(L * L)
  for (let i = 0; i < L; i++) for (let j = 0; j < i; j++) m[i * L + j] = 1
  return tf.tensor2d(m, [L, L])
}

/** midpoints u_k = (k+½)/K */
function midpoints(K: number): Float32Array {
  const u = new Float32Array(K)
  for (let k = 0; k < K; k++) u[k] = (k + 0.5) / K
  return u
}

/** cellX0 [L]: thickness of each cell in X0; cum [L, L] from exclusiveCumsumMatrix */
export function depthGrid(cellX0: tf.Tensor1D, K: number, cum: tf.Tensor2D): DepthGrid {
  const L = cellX0.shape[0]
  const front = tf.matMul(cum, cellX0.expandDims(1)).reshape([L]) as tf.Tensor1D
  const u = tf.tensor1d(midpoints(K))
  const t = front.expandDims(1).add(cellX0.expandDims(1).mul(u.expandDims(0))).reshape([L * K]) as tf.Tensor1D
  const lnw = cellX0.div(K).log().expandDims(1).add(tf.zeros([1, K])).reshape([L * K]) as tf.Tensor1D
  return { L, K, G: L * K, t, lnt: t.log() as tf.Tensor1D, lnw, front, total: cellX0.sum() as tf.Scalar }
}

/**
 * The same grid seen by a profile that starts `delayX0` behind the front face (a photon's first conversion): its
 * depth variable is t − δ, and the points in front of the start carry no weight. The gamma profile vanishes at its
 * own origin (α ≥ 1.1), so the delayed profile stays continuous.
 */
export function delayedGrid(grid: DepthGrid, delayX0: number): DepthGrid {
  const shifted = grid.t.sub(delayX0)
  const before = shifted.lessEqual(0)
  const t = tf.maximum(shifted, 1e-9) as tf.Tensor1D
  return { ...grid, t, lnt: t.log() as tf.Tensor1D, lnw: tf.where(before, tf.fill([grid.G], -1e4), grid.lnw) as tf.Tensor1D }
}

/** ln of the lateral containment per grid point, to first order in each shower's own shower maximum and impact
 *  point: ln F ≈ base + slope·shift_s + perOffset2·d²_s, with slope = ∂ln F/∂ln τ, shift_s = ln T_median − ln T_s,
 *  perOffset2 = ∂ln F/∂(d²) and d_s the impact point's distance from the centre (null: no beam spot) */
export interface LateralTerm {
  base: tf.Tensor2D
  slope: tf.Tensor2D
  shift: tf.Tensor2D
  offset: { perOffset2: tf.Tensor2D; d2: tf.Tensor2D } | null
}

/**
 * Deposited fraction per cell for each shower, [nE, S, L].
 * alpha, beta: [nE, S]; lat: the lateral containment (LateralTerm), or null (no lateral loss).
 * ln f(t) = (α−1) ln t − β t + α ln β − ln Γ(α) + ln F_lat is written, per beam energy, as a product
 * [α−1, −β, α ln β − ln Γ(α), 1, shift, d²] · [ln t, t, 1, ln w + base, slope, perOffset2]ᵀ ([S, 4 to 6] × [4 to 6, G]),
 * whose exponentials are summed over each cell's grid points (expCellSums).
 */
export function cellFractions(alpha: tf.Tensor2D, beta: tf.Tensor2D, grid: DepthGrid, lat: LateralTerm | null): tf.Tensor3D {
  const [nE] = alpha.shape
  const { K, G } = grid
  const c = alpha.mul(beta.log()).sub(lnGamma(alpha))
  const cols = [alpha.sub(1), beta.neg(), c, tf.onesLike(alpha)]
  if (lat) cols.push(lat.shift)
  if (lat?.offset) cols.push(lat.offset.d2)
  const everyEnergy = (x: tf.Tensor1D) => tf.broadcastTo(x, [nE, G])
  const rows = [everyEnergy(grid.lnt), everyEnergy(grid.t), tf.ones([nE, G]), lat ? lat.base.add(grid.lnw) : everyEnergy(grid.lnw)]
  if (lat) rows.push(lat.slope)
  if (lat?.offset) rows.push(lat.offset.perOffset2)
  return expCellSums(cols as tf.Tensor2D[], rows as tf.Tensor2D[], K)
}
