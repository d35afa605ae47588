// A kernel thread in the browser: runs the blocks of the engine's per-muon and per-shower loops that it claims
// (engine/parallel/blocks.ts). Started by kernel-threads.ts from the engine worker.
import { serveKernel } from '../engine/parallel/serve'
import type { KernelMessage } from '../engine/parallel/blocks'

self.onmessage = (e: MessageEvent<KernelMessage>) => serveKernel(e.data)
