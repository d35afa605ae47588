// The simulation keeps each muon's per-panel pairs (hit noise, kicks) muon-major, [N, P, 2]; the tape wants one
// panel-major array per projection, [K, N], for a stack's panels. The copy reads each muon's row once.

/** x and y of panels `idx` as [K, N] arrays, each value times its panel's scale (default 1) */
export function panelMajorPairs(
  src: ArrayLike<number>, N: number, P: number, idx: readonly number[], scale?: readonly number[],
): [Float32Array, Float32Array] {
  const K = idx.length
  const x = new Float32Array(K * N), y = new Float32Array(K * N)
  for (let i = 0, row = 0; i < N; i++, row += 2 * P) {
    for (let k = 0; k < K; k++) {
      const j = row + 2 * idx[k], s = scale ? scale[k] : 1
      x[k * N + i] = s * src[j]
      y[k * N + i] = s * src[j + 1]
    }
  }
  return [x, y]
}
