// Pick at most `max` indices out of n, evenly spread, always keeping the first and the last.
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i)
  const out: number[] = []
  const stride = (n - 1) / (max - 1)
  let prev = -1
  for (let k = 0; k < max; k++) {
    const i = Math.round(k * stride)
    if (i !== prev) out.push(i)
    prev = i
  }
  return out
}
