// Groups of optimised designs that are "the same design": single-linkage clustering in the parameter space
// normalised by each parameter's bound range, with the distance between two designs the root mean square of
// their normalised differences. Normalising makes a metre of panel height and a millimetre of absorber
// comparable through the room the optimiser had; the RMS keeps the threshold independent of the number of
// parameters; single linkage lets a valley of nearly equal optima (designs that drift continuously into each
// other) form one group instead of being cut arbitrarily.
import type { ParamSpace } from './param-space'

export interface Cluster {
  /** run indices */
  members: number[]
  validation_median: number
  /** mean parameter vector of the members (physical units) */
  centre: number[]
}

export const DEFAULT_CLUSTER_DISTANCE = 0.05

export function normalisedDistance(space: ParamSpace, a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let j = 0; j < a.length; j++) {
    const range = space.upper[j] - space.lower[j]
    const d = range > 0 ? (a[j] - b[j]) / range : 0
    s += d * d
  }
  return Math.sqrt(s / Math.max(1, a.length))
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Clusters of `vectors` (one per run) closer than `threshold`, largest first, then by median validation. */
export function clusterDesigns(space: ParamSpace, vectors: number[][], validation: number[], threshold = DEFAULT_CLUSTER_DISTANCE): Cluster[] {
  const parent = vectors.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])))
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      if (normalisedDistance(space, vectors[i], vectors[j]) < threshold) parent[root(i)] = root(j)
    }
  }
  const groups = new Map<number, number[]>()
  vectors.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]))
  return [...groups.values()].map((members) => ({
    members,
    validation_median: median(members.map((i) => validation[i])),
    centre: vectors[members[0]].map((_, j) => members.reduce((s, i) => s + vectors[i][j], 0) / members.length),
  })).sort((a, b) => b.members.length - a.members.length || a.validation_median - b.validation_median)
}
