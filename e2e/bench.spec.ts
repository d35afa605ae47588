// The benchmark page: linked from the help dialog; in headless Chromium (software WebGPU and WebGL adapters) it
// runs the scenarios at small sizes on each backend and reports muons/s and showers/s per backend with the phase
// split and the GPU kernels the steps ran, and the same figures as JSON.
import { expect } from '@playwright/test'
import { test, WASM } from './fixtures'

test('the help dialog links the bench page', async ({ page, watch }) => {
  void watch
  await page.goto(WASM)
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 90_000 })
  await page.keyboard.press('?')
  await expect(page.getByTestId('bench-link')).toHaveAttribute('href', 'bench.html')
})

test('bench.html reports per-backend figures with the phase split, and as JSON', async ({ page, watch }) => {
  void watch
  test.setTimeout(900_000)
  await page.goto('/bench.html?backends=webgpu,webgl,wasm&muons=500&showers=100&repeats=1&x0=1&run=1')
  await expect(page.getByTestId('bench-status')).toHaveText(/^done/, { timeout: 840_000 })
  const result = JSON.parse(await page.getByTestId('bench-json').textContent() ?? '{}') as {
    cross_origin_isolated: boolean; threads: number
    backends: { name: string; ok: boolean; note?: string }[]
    rows: { backend: string; kind: string; size: number; step_ms: number; per_s: number; phases_ms: Record<string, number>; gpu_kernels: Record<string, number>
      reads_per_step: { tensor: number; kernel: number; waits: number }; gpu_buffers_made: Record<string, number> }[]
    errors: string[]
  }
  console.log(JSON.stringify(result.rows.map((r) => [r.backend, r.kind, Math.round(r.per_s), r.reads_per_step, r.gpu_buffers_made])), JSON.stringify(result.backends))
  expect(result.cross_origin_isolated).toBe(true)
  expect(result.errors).toEqual([])
  const started = result.backends.filter((b) => b.ok).map((b) => b.name)
  // wasm always starts; Chromium's software adapters give webgpu and webgl too
  expect(started).toContain('wasm')
  expect(started.length).toBeGreaterThanOrEqual(2)
  for (const b of started) {
    for (const kind of ['muography', 'muography-x0', 'calorimeter']) {
      const r = result.rows.find((x) => x.backend === b && x.kind === kind)
      expect(r, `${b} ${kind}`).toBeDefined()
      // throughput is the size over the median step
      expect(r!.per_s).toBeCloseTo((r!.size / r!.step_ms) * 1000, 6)
      expect(r!.per_s).toBeGreaterThan(0)
      // the phases add up to the mean step (the median is one of one step here)
      const sum = Object.values(r!.phases_ms).reduce((a, v) => a + v, 0)
      expect(Math.abs(sum - r!.step_ms)).toBeLessThan(1)
      // the kernels' buffers persist across steps: the timed step makes none
      expect(r!.gpu_buffers_made, `${b} ${kind}`).toEqual({})
      await expect(page.getByTestId(`bench-row-${b}-${kind}-${r!.size}`)).toBeVisible()
    }
    const phases = Object.keys(result.rows.find((x) => x.backend === b && x.kind === 'muography')!.phases_ms)
    expect(phases).toEqual(expect.arrayContaining(['paths', 'paths + EM', 'loss + gradient']))
    // on webgpu the whole simulation, the detector's draws included, runs on the GPU (a phase of its own),
    // elsewhere on the CPU
    const onGpu = b === 'webgpu'
    expect(phases.includes('simulate (GPU)'), `${b}: ${phases.join(', ')}`).toBe(onGpu)
    expect(phases.includes('simulate'), `${b}: ${phases.join(', ')}`).toBe(!onGpu)
    // the kernels the steps dispatched: on webgpu every muography kernel (the simulation's, the path tracing and
    // packing with the resident rows and by-voxel copy, the true lines and the reconstruction's inputs made from the
    // simulation's buffers, the EM's passes with its coverage and a cold start's, the momentum model's refresh and the absorption
    // term's passes, the Fisher term's momentum derivative, crossing energies and absorption constants) and the shower
    // draws; elsewhere none
    const kernels = (kind: string) => Object.keys(result.rows.find((x) => x.backend === b && x.kind === kind)!.gpu_kernels).sort()
    const muography = ['absorption crossing', 'absorption fisher entries', 'absorption muons', 'absorption voxels',
      'columns count', 'columns offsets', 'columns scatter', 'columns starts', 'detector', 'em coverage', 'em eps', 'em muons',
      'em start fill', 'em start step', 'em start sums', 'em voxels', 'entering',
      'momentum', 'momentum derivative', 'muons', 'path copy', 'path rows', 'path scan', 'path starts', 'paths', 'propagate',
      'reco inputs', 'track lines']
    expect(kernels('muography')).toEqual(onGpu ? muography.map((k) => `dds ${k}`) : [])
    expect(kernels('calorimeter')).toEqual(onGpu ? ['dds showers'] : [])
    // how often a step waits for its device: the loss and gradient come back every step, as tensors; the kernels'
    // buffers are read only on webgpu (the calorimeter's draws never are)
    const reads = (kind: string) => result.rows.find((x) => x.backend === b && x.kind === kind)!.reads_per_step
    expect(reads('muography').tensor).toBeGreaterThanOrEqual(1)
    expect(reads('calorimeter').tensor).toBeGreaterThanOrEqual(1)
    expect(reads('muography').kernel > 0).toBe(onGpu)
    expect(reads('calorimeter').kernel).toBe(0)
    // reads started together wait together
    for (const kind of ['muography', 'muography-x0', 'calorimeter']) {
      const r = reads(kind)
      expect(r.waits).toBeGreaterThanOrEqual(1)
      expect(r.waits).toBeLessThanOrEqual(r.tensor + r.kernel)
    }
    // a webgpu muography step (the Fisher loss with the absorption term and the map) waits once: for its loss with
    // the map queued beside it, and the next step's batch (with the sizes of its true and entry paths) queued behind
    // it; the step before queued this one's. So does the x0 loss's, its tape's fitted paths sized by the warm-up's
    // count and their count read with the loss
    if (onGpu) expect(reads('muography').waits).toBe(1)
    if (onGpu) expect(reads('muography-x0').waits).toBe(1)
  }
  await expect(page.getByTestId('bench-download')).toBeVisible()
})
