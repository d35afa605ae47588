// How often a step waits for its device: each read-back of tensors (core/tensor.ts readBack) and of a kernel's
// buffer (gpu/device.ts readBuffer) is counted while a benchmark collects, so the bench page can say how many times
// a webgpu step waits for the GPU. Reads started while another is in flight (Promise.all) wait with it: a wait is
// counted when a read starts with none in flight.

export interface ReadCounts {
  /** tfjs tensor read-backs */
  tensor: number
  /** kernel buffer read-backs */
  kernel: number
  /** waits: reads that started with no other read in flight */
  waits: number
}

let open: ReadCounts | null = null
let inFlight = 0

/** start counting (sums over every step until takeReads) */
export function collectReads(): void {
  open = { tensor: 0, kernel: 0, waits: 0 }
}

/** the counts since collectReads, and stop counting */
export function takeReads(): ReadCounts {
  const r = open ?? { tensor: 0, kernel: 0, waits: 0 }
  open = null
  return r
}

/** note a read-back starting; call the function it returns when the read is done */
export function startRead(kind: 'tensor' | 'kernel'): () => void {
  if (open) {
    open[kind]++
    if (inFlight === 0) open.waits++
  }
  inFlight++
  return () => { inFlight-- }
}

/** the counts per step over `steps` steps */
export function readsPerStep(c: ReadCounts, steps: number): ReadCounts {
  return { tensor: c.tensor / steps, kernel: c.kernel / steps, waits: c.waits / steps }
}
