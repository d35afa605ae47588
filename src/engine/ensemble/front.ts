// The cost–performance front: a design is on it when no other design is both cheaper (or as cheap) and better
// (or as good) with at least one strictly. Lower is better on both axes.

/** per point [cost, metric]: whether it is on the front */
export function paretoFront(points: readonly (readonly [number, number])[]): boolean[] {
  return points.map(([c, m], i) => !points.some(([c2, m2], j) => j !== i && c2 <= c && m2 <= m && (c2 < c || m2 < m)))
}
