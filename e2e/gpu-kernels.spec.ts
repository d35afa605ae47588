// The GPU kernels on Chromium's software WebGPU adapter (SwiftShader), each against its CPU reference on the same
// inputs, through the bench page's kernel check (src/engine/gpu/check.ts): the muons of a seed are the CPU's muons,
// field by field, within float32 rounding, and so are they after the panels above have slowed them; the shower
// draws, read back through the tensors the calorimeter model makes from the kernel's buffers, are the CPU's draws
// (the spot uniforms bit for bit); the traced paths are buildPaths' within float32 geometry (a face crossed at a
// grazing angle may move a little further), and left on the GPU for the Fisher term (gpu/path-resident.ts) they
// give the tape's path tensors and the Fisher constants of the same trace read back, exactly; the propagated
// tracks, with energy loss, straggling and the single-scattering tail on, are propagate()'s within float32 rounding
// for all but a percent of the muons, whose float32 path crossed a threshold the other way, and the true lines made
// from them where they lie are truthLines' within float32 rounding, and so are the absorption term's entry lines
// (innerEntryLines', the muons used exactly), whose paths traced there are the trace of those lines uploaded, exactly,
// with the crossing energies walked on them crossingEnergy's within float32 rounding; the detector's draws on those tracks (hit noise, the panels'
// efficiency and kicks, their scattering geometry) are the CPU's, the efficiency draws bit for bit, and the
// reconstruction's inputs made from those buffers where they lie are recoInputs' of their read-back (the lines within
// float32 rounding, the rest exactly); the momentum
// model's refresh (each of a prior's values slowed along the path) is pathMomentum's within float32 rounding but for
// a percent of the muons, one of whose values stops on one side only, and so is it with its derivative in λ as the
// Fisher term takes it (a point momentum, and a prior with the mixture's κ and slopes) with the Fisher term's
// constants made from it; the absorption term's per-voxel parts are
// absorptionTerms' within float32 rounding, with a prior and with a measured momentum, and so are the crossing
// energies alone and their gradients (the Fisher term's), off the references and at the truth; the EM's iterations give
// the CPU solve's densities and weights within float32 rounding, with a known momentum and with a prior, and so do
// they as a step's X0 solve runs them (a cold start, the momentum model's refreshes and the absorption term on the
// GPU, on the benchmark's muons), the cold start's single λ included, and a step's map solved with the fitted
// lines' paths left on the GPU is the solve of the same trace read back, exactly, whether the lines went up from the
// CPU or were taken from the reconstruction's tensors where they lie.
import { expect } from '@playwright/test'
import { test } from './fixtures'

interface Check {
  kernel: string; size: number; ok: boolean
  outputs: { name: string; maxError: number; tolerance: number; scale: string }[]
}

test('each WGSL kernel matches its CPU reference on software WebGPU', async ({ page, watch }) => {
  void watch
  test.setTimeout(600_000)
  await page.goto('/bench.html?backends=webgpu&muons=0&showers=0&kernels=1&run=1')
  await expect(page.getByTestId('bench-status')).toHaveText(/^done/, { timeout: 540_000 })
  const result = JSON.parse(await page.getByTestId('bench-json').textContent() ?? '{}') as {
    backends: { name: string; ok: boolean; note?: string }[]; errors: string[]; kernels: Check[]
  }
  console.log(JSON.stringify(result.kernels.map((c) => [c.kernel, c.size, c.outputs.map((o) => [o.name, o.maxError])])))
  expect(result.backends).toEqual([{ name: 'webgpu', ok: true }])
  expect(result.errors).toEqual([])
  expect(result.kernels.map((c) => c.kernel)).toEqual(['muons', 'entering', 'showers', 'paths', 'propagation', 'detector', 'momentum', 'momentum derivative', 'absorption', 'em', 'x0 solve'])
  const [muons, entering, showers, paths, propagation, detector, momentum, derivative, absorption, em, solve] = result.kernels
  expect(muons.size).toBe(2000)
  expect(muons.outputs.map((o) => o.name)).toEqual(['x', 'y', 'ux', 'uy', 'uz', 'p'])
  expect(entering.size).toBe(2000)
  expect(entering.outputs.map((o) => o.name)).toEqual(['x', 'y', 'z', 'ux', 'uy', 'uz', 'p'])
  expect(showers.size).toBe(1800)
  expect(showers.outputs.map((o) => o.name)).toEqual(['z1', 'z2', 'zl', 'ux', 'uy', 'zs', 'zn'])
  expect(paths.size).toBe(2000)
  expect(paths.outputs.map((o) => o.name)).toEqual(['total', 'entries', 'resident entries', 'resident covered', 'resident fisher'])
  expect(propagation.size).toBe(2000)
  expect(propagation.outputs.map((o) => o.name)).toEqual(['p', 'exit point', 'exit direction', 'exit momentum', 'muons', 'true lines',
    'entry lines', 'entry lines used', 'entry paths', 'entry crossing ln T', 'entry crossing ∂ln T/∂λ', 'entry absorption information'])
  expect(detector.size).toBe(2000)
  expect(detector.outputs.map((o) => o.name)).toEqual([
    'noise', 'present', 'kicks', 'g', 'above', 'below', 'kept draws',
    'reco lines', 'reco alive', 'reco noise x', 'reco noise y', 'reco fired', 'reco kicks x', 'reco kicks y',
    'ahead batch', 'ahead sums',
  ])
  expect(momentum.size).toBe(2000)
  expect(momentum.outputs.map((o) => o.name)).toEqual(['c̄', 'c̄ per value', 'c above', 'c below', 'e', 'muons', 'values stopping'])
  expect(derivative.size).toBe(2000)
  expect(derivative.outputs.map((o) => o.name)).toEqual([
    'point c̄', 'point c above', 'point c below', 'point ∂c̄/∂λ', 'point muons', 'point c·g', 'point fisher a', 'point fisher b',
    'point muons stopping',
    'prior c̄', 'prior c above', 'prior c below', 'prior κ', 'prior ∂c̄/∂λ', 'prior ∂s/∂λ', 'prior muons', 'prior c·g',
    'prior fisher a', 'prior fisher b',
  ])
  expect(absorption.size).toBe(2000)
  expect(absorption.outputs.map((o) => o.name)).toEqual([
    'pos (prior)', 'neg (prior)', 'pos (measured)', 'neg (measured)',
    'crossing ln T (λ)', 'crossing ∂ln T/∂λ (λ)', 'crossing ln T (truth)', 'crossing ∂ln T/∂λ (truth)',
  ])
  expect(em.size).toBe(2000)
  expect(em.outputs.map((o) => o.name)).toEqual(['λ (known)', 'weight (known)', 'coverage (known)', 'λ (prior)', 'weight (prior)', 'coverage (prior)'])
  expect(solve.size).toBe(2000)
  expect(solve.outputs.map((o) => o.name)).toEqual(['start λ', 'λ', 'weight', 'coverage', 'resident λ', 'resident coverage', 'tape λ', 'x0 constants', 'x0 paths', 'x0 paths sized by a guess'])
  for (const c of result.kernels) {
    for (const o of c.outputs) expect(o.maxError, `${c.kernel} ${o.name}: ${o.maxError} within ${o.tolerance}`).toBeLessThanOrEqual(o.tolerance)
    expect(c.ok).toBe(true)
    await expect(page.getByTestId(`kernel-row-${c.kernel}`)).toContainText('yes')
  }
  // the spot uniforms are float32-exact on both sides: identical
  for (const k of ['ux', 'uy']) expect(showers.outputs.find((o) => o.name === k)!.maxError).toBe(0)
})
