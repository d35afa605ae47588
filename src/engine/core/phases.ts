// Where a step's time goes: the sessions time their phases (simulation, reconstruction, paths + EM, loss and
// gradient, ...) into the open record, if any; the benchmarks open one around their timed steps. Wall-clock ms.

let open: Record<string, number> | null = null

/** start collecting phase times (sums over every step until takePhases) */
export function collectPhases(): void {
  open = {}
}

/** the phase times collected since collectPhases, and stop collecting */
export function takePhases(): Record<string, number> {
  const r = open ?? {}
  open = null
  return r
}

/** mean ms per step of each phase over `steps` steps of `total` ms in all, with the remainder as 'other' */
export function perStep(phases: Record<string, number>, steps: number, total: number): Record<string, number> {
  const out: Record<string, number> = {}
  let sum = 0
  for (const [k, v] of Object.entries(phases)) { out[k] = v / steps; sum += v }
  out.other = Math.max(0, total - sum) / steps
  return out
}

function add(name: string, t0: number): void {
  if (open) open[name] = (open[name] ?? 0) + performance.now() - t0
}

export function timed<T>(name: string, fn: () => T): T {
  const t0 = performance.now()
  try { return fn() } finally { add(name, t0) }
}

export async function timedAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now()
  try { return await fn() } finally { add(name, t0) }
}
