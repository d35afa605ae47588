// --threads N for the commands that run steps: the step's per-muon and per-shower blocks run on N threads
// (kernel-host.ts; default every core). The numbers do not depend on N.
import type { Flags } from './args'
import { defaultKernelThreads } from './kernel-host'

export const THREADS_USAGE = '[--threads N]'

export function threadsFlag(flags: Flags): number {
  return flags.number('threads', defaultKernelThreads(), { min: 1, max: 256, integer: true })
}
