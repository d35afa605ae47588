// Work for a later step started on the kernel threads, which would otherwise wait while the calling thread works
// through the tape, and taken by the step it was for (matched by a key: what the work was made from). Only with a
// pool of threads, and not on webgpu, where that work is a GPU kernel. Work that no step takes (the key changed) is
// replaced by the next start.
import { webgpuDevice } from '../gpu/device'
import { parallel } from './blocks'

export class Ahead<J> {
  private slot: { key: string; join: J } | null = null

  /** start the work (`begin` posts it and returns its join) when there is a pool and no GPU */
  start(key: string, begin: () => J): void {
    if (!parallel() || webgpuDevice()) return
    this.slot = { key, join: begin() }
  }

  /** the join of the work started for `key`, once; null when there is none */
  take(key: string): J | null {
    const s = this.slot
    if (!s || s.key !== key) return null
    this.slot = null
    return s.join
  }

  clear(): void {
    this.slot = null
  }
}
