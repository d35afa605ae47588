// A background optimisation worker for the studio's ensembles, budget sweeps and comparisons. Each runs one job at
// a time on its own wasm backend, apart from the engine worker (whose session, run and GPU stay untouched), and
// streams the steps to the main thread in batches (at most ~4 a second: the page stays responsive with several
// of these running).
import * as Comlink from 'comlink'
import { canonicalDesign, designCost, paramSpace, paramVector, perturbedStart } from '../engine/ensemble/param-space'
import { runOptimize } from '../engine/run-optimize'
import { createSession } from './engine-entry'
import { holdForFrame } from './frame-gate'
import { selectBackend } from './backend'
import type { BackgroundApi, BackgroundStep } from './background-protocol'

const FLUSH_MS = 250

let ready: Promise<string> | null = null
let abort: AbortController | null = null

const api: BackgroundApi = {
  init() {
    ready ??= selectBackend({ backend: 'wasm' }).then((b) => b.name)
    return ready
  },

  async run(job, onSteps) {
    await api.init()
    const base = canonicalDesign(job.design)
    const start = job.perturb ? perturbedStart(base, job.perturb.spread, job.perturb.seed) : base
    const session = await createSession(start)
    abort = new AbortController()
    let pending: BackgroundStep[] = []
    let last = 0
    const flush = () => { if (pending.length) { onSteps(pending); pending = [] } last = performance.now() }
    const gate = job.frameGate ? new Int32Array(job.frameGate) : null
    try {
      const r = await runOptimize(session, job.steps, (step, loss, validation, result) => {
        pending.push({ step, loss, validation, parameters: result.parameters })
        if (performance.now() - last >= FLUSH_MS) flush()
        holdForFrame(gate) // the page draws a frame now: leave it the CPU
      }, abort.signal)
      flush()
      return {
        space: paramSpace(base), start: paramVector(start), final: paramVector(canonicalDesign(r.design)),
        initialValidation: r.initial.validation, best: r.best, cost: designCost(r.design), design: r.design,
        interrupted: r.interrupted,
      }
    } finally {
      abort = null
      session.dispose()
    }
  },

  stop() {
    abort?.abort()
  },
}

Comlink.expose(api)
