// The colour scale of the "how well measured" voxel view: the expected relative precision of X0, on a log scale
// from 1 % (well measured) to 100 % (the X0 unknown to within itself).
export const PRECISION_RANGE = [0.01, 1] as const

/** colour position of a relative X0 precision: 1 % → 0, 100 % and worse → 1; NaN when not measured */
export function precisionPosition(rel: number): number {
  if (!Number.isFinite(rel) || rel <= 0) return NaN
  const [lo, hi] = PRECISION_RANGE
  return Math.min(1, Math.max(0, Math.log(rel / lo) / Math.log(hi / lo)))
}
