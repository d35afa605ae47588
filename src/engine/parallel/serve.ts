// The pool thread's side of runBlocks(): run the posted kernel on the blocks this thread claims.
import { claimBlocks, type KernelMessage } from './blocks'
import { KERNELS } from './kernels'

export function serveKernel(m: KernelMessage): void {
  const kernel = KERNELS[m.kernel]
  if (!kernel) throw new Error(`unknown kernel ${m.kernel}`)
  const { error } = claimBlocks(kernel, m.job as never, m.ctl, m.blocks)
  // the caller only learns that a block failed; the message goes to this thread's console
  if (error) console.error(`kernel ${m.kernel}: ${error}`)
}
