import { UsageError } from '../args'
import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { useNodeBackend } from '../../engine/core/tensor'
import { effectiveMedium } from '../../engine/calorimeter/effective'
import { createCalorimeterSession } from '../../engine/calorimeter/session'
import { hadronicResponse } from '../../engine/calorimeter/hadronic'
import { depthLambda, expandStack } from '../../engine/calorimeter/stack'
import { energyWarnings } from '../../engine/calorimeter/validity'
import { showers as beamShowers } from '../../engine/calorimeter/beam-task'
import { threadsFlag, THREADS_USAGE } from '../threads-flag'
import { useKernelThreads } from '../kernel-host'

const pct = (x: number) => `${(100 * x).toFixed(2)} %`
const fitText = (f: { stochastic: number; noise: number; constant: number } | null) =>
  f ? `${pct(f.stochastic)}/√E ⊕ ${f.noise.toFixed(3)} GeV/E ⊕ ${pct(f.constant)}` : '—'

export const calo: Command = {
  name: 'calo',
  usage: `calo (--preset NAME | --design FILE) [--particle e-|gamma|pi-|mu-] [--energies 1,2,5,...] [--showers N] [--seed K] [--backend wasm|cpu] ${THREADS_USAGE} --json`,
  summary: 'simulate electron, photon, pion or muon showers in a sampling calorimeter; report the response and resolution per energy, the a/√E ⊕ b/E ⊕ c fit, depth, sampling fraction and e/h',
  async run({ flags, log }) {
    const design = readDesignInput(flags)
    if (design.kind !== 'calorimeter') throw new UsageError(`calo needs a calorimeter design, got kind "${design.kind}"`)
    const energies = flags.numberList('energies', design.beam.energies)
    if (energies.length === 0 || energies.length > 64) throw new UsageError('--energies: give 1 to 64 energies')
    for (const e of energies) if (!(e >= 0.1 && e <= 1e4)) throw new UsageError(`--energies: ${e} GeV is outside [0.1, 10000]`)
    const showers = flags.number('showers', design.beam.showers_per_energy, { min: 10, max: 1_000_000, integer: true })
    const seed = flags.number('seed', design.seed, { min: 0, max: 2 ** 31 - 1, integer: true })
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    const particle = flags.choice('particle', ['e-', 'gamma', 'pi-', 'mu-'] as const, design.beam.particle)
    const threads = threadsFlag(flags)
    flags.assertAllUsed()
    await useNodeBackend(backend)
    await useKernelThreads(threads)
    design.beam.energies = energies
    design.beam.particle = particle
    design.beam.showers_per_energy = showers
    design.seed = seed
    const warnings = energyWarnings(particle, energies)
    for (const w of warnings) log(`calo: warning: ${w}`)
    log(`calo: ${design.name}: ${particle}, ${showers} showers at each of ${energies.join(', ')} GeV, seed ${seed}`)
    const t0 = performance.now()
    const session = await createCalorimeterSession(design, { validationShowers: showers })
    const snap = session.snapshot()
    session.dispose()
    log(`calo: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const calo = snap.calo!
    const cells = expandStack(design.calorimeter)
    const eff = effectiveMedium(cells)
    const hadronic = hadronicResponse(cells)
    const output = {
      name: design.name,
      particle,
      seed,
      showers_per_energy: showers,
      points: calo.points,
      fit: calo.fit,
      fit_leakage_corrected: calo.fit_leakage_corrected ?? null,
      depth_x0: calo.depth_x0,
      depth_m: calo.depth_m,
      layers: snap.layers!.length,
      sampling_fraction: eff.f_mip,
      sampling_fraction_e: eff.f_e,
      ehat: eff.ehat,
      e_over_h: hadronic.eOverH,
      depth_lambda: depthLambda(cells),
      x0_eff_m: eff.x0_eff_m,
      moliere_radius_m: eff.rm_eff_m,
      critical_energy_mev: eff.ec_eff_mev,
      leakage: calo.leakage,
      containment: calo.containment,
      cost: snap.cost,
      warnings,
    }
    const text = [
      `${design.name}: ${snap.layers!.length} layers, ${calo.depth_m.toFixed(3)} m = ${calo.depth_x0.toFixed(1)} X0, sampling fraction ${eff.f_mip.toFixed(4)} (mip), ê ${eff.ehat.toFixed(3)}, e/h ${hadronic.eOverH.toFixed(2)}, ${particle}`,
      ...warnings.map((w) => `  warning: ${w}`),
      ...(beamShowers(particle) ? [
        ...calo.points.map((p, i) => `  ${String(p.energy_gev).padStart(7)} GeV  response ${p.mean_response.toFixed(4)}  σ/E ${pct(p.sigma_over_e)} (leakage-corrected ${p.sigma_over_e_leakage_corrected == null ? '—' : pct(p.sigma_over_e_leakage_corrected)})  leakage ${pct(calo.leakage![i])}`),
        `  fit: ${fitText(calo.fit)}`,
        `  fit after the rear-leakage correction: ${fitText(calo.fit_leakage_corrected ?? null)}`,
      ] : [
        ...calo.points.map((p, i) => `  ${String(p.energy_gev).padStart(7)} GeV  signal ${(p.mean_response * p.energy_gev).toFixed(4)} GeV (electron scale)  width σ/⟨Ê⟩ ${pct(p.sigma_over_e)}  carried out of the back ${pct(calo.leakage![i])}`),
        '  a muon crosses the stack: its energy is not measured, so there is no resolution fit or leakage correction; the optimiser narrows its signal (σ/⟨Ê⟩)',
      ]),
    ].join('\n')
    return { output, text }
  },
}
