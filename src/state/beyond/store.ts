// The studio's view beyond one optimum: an ensemble of runs from perturbed starts, a budget sweep (the
// cost–performance front) and a second design to compare, all run on background workers (./pool.ts). The runs'
// steps arrive in batches; the store republishes them at most once a second (`version`), so the charts that
// follow them re-render rarely and the page stays responsive.
import { create } from 'zustand'
import { clusterDesigns, DEFAULT_CLUSTER_DISTANCE, type Cluster } from '../../engine/ensemble/clusters'
import { paretoFront } from '../../engine/ensemble/front'
import type { Design } from '../../engine/design/schema'
import type { BackgroundResult, BackgroundStep } from '../../workers/background-protocol'
import { currentDesign, errorText } from '../actions'
import { ghostOf, runColour, useGhosts } from './ghosts'
import { pageFrameGateBuffer, pageWorkGate, whileHeld } from '../../workers/frame-gate'
import { runPool, type PoolRun } from './pool'
import { frameDrawnSince, VIEW_WAIT_MS } from '../view-ready'

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'stopped'

export interface BackgroundRun {
  label: string
  /** ensemble: the seed of its start; front: its budget */
  seed?: number
  budget?: number
  status: RunStatus
  /** every step so far (mutated in place between publications; read with `version`) */
  steps: BackgroundStep[]
  result?: BackgroundResult
  error?: string
}

export interface FrontPoint { budget: number; cost: number; validation: number; onFront: boolean; run: number }

interface BatchState {
  mode: 'ensemble' | 'front'
  kind: Design['kind']
  /** what the runs started from (the live design when started) */
  base: Design
  runs: BackgroundRun[]
  running: boolean
  planned: number
  clusters: Cluster[]
  front: FrontPoint[]
}

interface BeyondState {
  batch: BatchState | null
  /** bumps when the runs' steps or statuses are republished */
  version: number
  notice: string | null
}

export const useBeyond = create<BeyondState>()(() => ({ batch: null, version: 0, notice: null }))

const PUBLISH_MS = 1000
let publishTimer: ReturnType<typeof setTimeout> | null = null
/** an update waits for the workers to hold */
let publishing = false
function publishSoon(): void {
  if (publishTimer || publishing) return
  publishTimer = setTimeout(() => {
    publishTimer = null
    publishing = true
    // the update (React renders the panel; the page lays it out and paints it) runs while the background workers
    // hold at a step boundary, as the 3D view's frames do: beside a computing worker, on a 2-core machine, these
    // tasks took several times their CPU time in wall time
    whileHeld(pageWorkGate(), () => {
      publishing = false
      useBeyond.setState((s) => ({ version: s.version + 1 }))
    })
  }, PUBLISH_MS)
}
function publishNow(patch: Partial<BatchState> = {}): void {
  if (publishTimer) { clearTimeout(publishTimer); publishTimer = null }
  useBeyond.setState((s) => ({ version: s.version + 1, batch: s.batch ? { ...s.batch, ...patch } : null }))
}

let current: PoolRun | null = null
/** a batch shown but whose workers have not started yet (cancelled: they never will) */
let pendingStart: { cancelled: boolean } | null = null

/** a copy of `d` with optimiser settings changed (either kind has steps, budget and cost_weight) */
function withOptimizer(d: Design, patch: { steps?: number; budget?: number; cost_weight?: number }): Design {
  const c = structuredClone(d)
  Object.assign(c.optimizer, patch)
  return c
}

/** a batch's job for each of its runs */
type JobOf = (r: BackgroundRun, i: number) => Parameters<typeof runPool>[0][number]['job']

export interface EnsembleOptions { starts: number; steps: number; spread: number }

function begin(mode: BatchState['mode'], base: Design, runs: BackgroundRun[], planned: number, jobs: JobOf): void {
  stopBatch()
  useGhosts.setState({ ensemble: [] })
  const batch: BatchState = { mode, kind: base.kind, base, runs, running: true, planned, clusters: [], front: [] }
  useBeyond.setState((s) => ({ batch, version: s.version + 1, notice: null }))
  // The workers start in a task after the click's, which renders the batch (in one task the two took 70–86 ms of
  // the main thread on a loaded 2-core machine), and not before the 3D view's first frame is on screen: as for
  // autoplay, the view's first frames (its shader programs, one 60 ms compile) are the page's heaviest work
  const start = { cancelled: false }
  pendingStart = start
  void frameDrawnSince(0, VIEW_WAIT_MS).then(() => setTimeout(() => {
    if (start.cancelled) return
    pendingStart = null
    startPool(mode, base, runs, jobs)
  }, 0))
}

function startPool(mode: BatchState['mode'], base: Design, runs: BackgroundRun[], jobs: JobOf): void {
  const run = runPool(runs.map((r, i) => ({
    job: { ...jobs(r, i), frameGate: pageFrameGateBuffer() },
    onStart: () => { r.status = 'running'; publishSoon() },
    onSteps: (steps) => { r.steps.push(...steps); publishSoon() },
    onDone: (s) => {
      if (useBeyond.getState().batch?.base !== base) return
      if (s.status === 'fulfilled') { r.result = s.value; r.status = 'done' } else { r.status = 'failed'; r.error = errorText(s.reason) }
      publishNow(summarise(useBeyond.getState().batch!))
      // the 3D view's ghosts in a task of their own
      if (mode === 'ensemble') setTimeout(() => {
        if (useBeyond.getState().batch?.base !== base) return
        useGhosts.setState({ ensemble: runs.flatMap((q, i) => (q.result ? [ghostOf(q.result.design, q.label, runColour(i))] : [])) })
      }, 0)
    },
  })))
  current = run
  void run.done.then(() => {
    if (current === run) current = null
    if (useBeyond.getState().batch?.base !== base) return
    // stopped: the runs that never started say so
    for (const r of runs) if (r.status === 'queued') r.status = 'stopped'
    publishNow({ running: false })
  })
}

/** the clusters of the ensemble's optimised designs, or the front of the budget sweep */
function summarise(b: BatchState): Pick<BatchState, 'clusters' | 'front'> {
  const done = b.runs.map((r, i) => ({ r: r.result, i })).filter((x): x is { r: BackgroundResult; i: number } => !!x.r)
  if (done.length === 0) return { clusters: [], front: [] }
  if (b.mode === 'ensemble') {
    const c = clusterDesigns(done[0].r.space, done.map((x) => x.r.final), done.map((x) => x.r.best.validation), DEFAULT_CLUSTER_DISTANCE)
    // members as run indices of the batch
    return { clusters: c.map((k) => ({ ...k, members: k.members.map((m) => done[m].i) })), front: [] }
  }
  const on = paretoFront(done.map((x) => [x.r.cost, x.r.best.validation]))
  return { clusters: [], front: done.map((x, k) => ({ budget: b.runs[x.i].budget!, cost: x.r.cost, validation: x.r.best.validation, onFront: on[k], run: x.i })) }
}

/** N optimisations from N starts: start 0 the live design, start i the design perturbed with seed + i (the CLI's
 *  `ensemble`), every run on the same seeded batches so their validations compare */
export function startEnsemble(o: EnsembleOptions): boolean {
  const d = currentDesign()
  if (!d) return false
  const base = withOptimizer(d, { steps: o.steps })
  const runs: BackgroundRun[] = Array.from({ length: o.starts }, (_, i) => ({ label: `run ${i}`, seed: base.seed + i, status: 'queued', steps: [] }))
  begin('ensemble', base, runs, o.steps, (r, i) => ({ design: base, steps: o.steps, ...(i > 0 ? { perturb: { spread: o.spread, seed: r.seed! } } : {}) }))
  return true
}

/** one optimisation per budget (the CLI's `front`); a calorimeter's cost weight is set to 0 so that the budget
 *  alone limits the cost and the validations of different budgets compare */
export function startFront(budgets: number[], steps: number): boolean {
  const d = currentDesign()
  if (!d) return false
  if (budgets.length === 0 || budgets.some((b) => !(b > 0))) {
    useBeyond.setState({ notice: 'budgets: give a list of positive numbers, e.g. 4, 8, 16, 32' })
    return false
  }
  const base = withOptimizer(d, { steps, ...(d.kind === 'calorimeter' ? { cost_weight: 0 } : {}) })
  const runs: BackgroundRun[] = budgets.map((b) => ({ label: `budget ${b}`, budget: b, status: 'queued', steps: [] }))
  begin('front', base, runs, steps, (r) => ({ design: withOptimizer(base, { budget: r.budget! }), steps }))
  return true
}

/** stop the runs in flight: each keeps the best design it reached */
export function stopBatch(): void {
  current?.stop()
  if (pendingStart == null) return
  pendingStart.cancelled = true
  pendingStart = null
  const b = useBeyond.getState().batch
  if (b) { for (const r of b.runs) if (r.status === 'queued') r.status = 'stopped'; publishNow({ running: false }) }
}

export function clearBatch(): void {
  stopBatch()
  current = null
  useGhosts.setState({ ensemble: [] })
  useBeyond.setState((s) => ({ batch: null, version: s.version + 1 }))
}
