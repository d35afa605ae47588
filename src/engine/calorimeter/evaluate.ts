// Forward-only evaluation of a design on a fixed, seeded shower set, in chunks (any number of showers in bounded
// memory): per-energy mean and σ of the reconstructed energy, containment, longitudinal leakage, and the mean
// deposited fraction per cell. Used for validation, snapshots and the `calo` CLI command.
import { deriveSeed } from '../core/rng'
import { readBack, tf } from '../core/tensor'
import { gaussianCore } from './core-fit'
import { drawShowers } from './draws'
import { gpuShowerDraws } from '../gpu/showers'
import { leakageCorrected, rearCells, rearShares } from './leakage-correction'
import { fitResolution, type ResolutionFit } from './fit'
import { showers } from './beam-task'
import type { CaloModel, ParamTensors } from './model'

export interface ParamValues {
  absorber: Float64Array
  active: Float64Array
  theta: Float64Array
  dense: Float64Array | null
}

export function paramTensors(v: ParamValues): ParamTensors {
  return {
    absorber: tf.tensor1d(Float32Array.from(v.absorber)),
    active: tf.tensor1d(Float32Array.from(v.active)),
    theta: tf.tensor1d(Float32Array.from(v.theta)),
    dense: v.dense ? tf.tensor1d(Float32Array.from(v.dense)) : null,
  }
}

export interface EvalPoint {
  energy_gev: number
  /** ⟨Ê⟩/E */
  mean_response: number
  /** σ/μ of the Gaussian core of Ê (iterative ±2σ fit, core-fit.ts), as test beams quote it */
  sigma_over_e: number
  /** full RMS(Ê)/⟨Ê⟩, tails included */
  rms_over_e: number
  /** σ/μ of the Gaussian core after the rear-leakage correction (leakage-correction.ts); null for a homogeneous
   *  stack, which has no rear to measure, and for a muon beam (beam-task.ts) */
  sigma_over_e_leakage_corrected: number | null
  /** ⟨Ê⟩/E after the correction (null as above) */
  mean_response_leakage_corrected: number | null
  /** mean fraction of the energy deposited in the stack (after lateral and longitudinal losses) */
  containment: number
  /** mean fraction leaking out of the back (longitudinal only, no lateral loss) */
  leakage: number
}

export interface EvalResult {
  points: EvalPoint[]
  /** the a/√E ⊕ b/E ⊕ c fit of σ/E (null for a muon beam) */
  fit: ResolutionFit | null
  /** the fit of the leakage-corrected σ/E (null for a homogeneous stack and a muon beam) */
  fit_leakage_corrected: ResolutionFit | null
  /** mean deposited fraction per cell, averaged over the energies */
  profile: Float32Array
  /** one shower of the highest beam energy (the first of the fixed set): its deposited fraction per cell, to
   *  show how far a single shower strays from the mean profile (the fluctuated GFLASH T and α) */
  shower: { energy_gev: number; fraction: Float32Array }
}

export async function evaluate(
  model: CaloModel, v: ParamValues, energies: readonly number[], showersPerEnergy: number, seed: number, stream: string,
  chunk = 4096,
): Promise<EvalResult> {
  const L = model.L
  const profile = new Float64Array(L)
  const points: EvalPoint[] = []
  const eShown = energies.indexOf(Math.max(...energies))
  let shower = new Float32Array(L)
  const segmented = !model.spec.homogeneous
  // the rear-leakage correction and the resolution fit are for showers (beam-task.ts)
  const showering = showers(model.spec.particle)
  const corrects = segmented && showering
  let rear: Uint8Array | null = null
  for (const [e, E] of energies.entries()) {
    let n = 0, s1 = 0, s2 = 0, cont = 0, leak = 0, leakN = 0
    const all = new Float32Array(showersPerEnergy), share = new Float64Array(showersPerEnergy)
    for (let c = 0; n < showersPerEnergy; c++) {
      const S = Math.min(chunk, showersPerEnergy - n)
      const seeds = [deriveSeed(seed, stream, e, c)], noise = model.spec.noiseGeV > 0
      // on webgpu the draw kernel makes them beside the model's tensors (the same numbers)
      const draws = gpuShowerDraws(seeds, stream, S, L, noise) ?? drawShowers(seeds, stream, S, L, noise)
      const out = tf.tidy(() => {
        const p = paramTensors(v)
        const sim = model.simulate(p, [E], draws)
        const res = [sim.reco, sim.frac.sum(1)] // [1,S], [1,L]
        // the cells' calibrated energies [1,S,L] for each shower's share in the rear, and once their thicknesses in X0
        if (corrects) res.push(sim.cal)
        if (corrects && !rear) res.push(sim.eff.cellX0)
        if (c === 0) res.push(model.simulate(p, [E], draws, { lateral: false }).frac.sum(2)) // [1,S]
        if (c === 0 && e === eShown) res.push(sim.frac.slice([0, 0, 0], [1, 1, L]).reshape([L]))
        return res
      })
      const back = await readBack(out)
      const [reco, fsum] = back.splice(0, 2)
      if (corrects) {
        const [cal] = back.splice(0, 1)
        rear ??= rearCells(back.splice(0, 1)[0])
        rearShares(cal, S, rear, share, n)
      }
      const [lfrac, one] = back
      if (one) shower = Float32Array.from(one)
      out.forEach((t) => t.dispose())
      for (let i = 0; i < S; i++) { s1 += reco[i]; s2 += reco[i] * reco[i]; all[n + i] = reco[i] }
      for (let l = 0; l < L; l++) { cont += fsum[l]; profile[l] += fsum[l] / (showersPerEnergy * energies.length) }
      if (lfrac) for (let i = 0; i < S; i++) { leak += 1 - lfrac[i]; leakN++ }
      n += S
    }
    const mean = s1 / n
    const std = Math.sqrt(Math.max(0, s2 / n - mean * mean))
    const fixed = corrects ? leakageCorrected(all, share, E) : null
    const core = gaussianCore(all), corrected = fixed && gaussianCore(fixed)
    points.push({
      energy_gev: E, mean_response: mean / E, sigma_over_e: core.sigma / core.mean, rms_over_e: std / mean,
      sigma_over_e_leakage_corrected: corrected ? corrected.sigma / corrected.mean : null,
      mean_response_leakage_corrected: fixed ? fixed.reduce((a, b) => a + b, 0) / n / E : null,
      containment: cont / n, leakage: Math.max(0, leak / leakN),
    })
  }
  return {
    points, fit: showering ? fitResolution(points) : null,
    fit_leakage_corrected: corrects
      ? fitResolution(points.map((p) => ({ energy_gev: p.energy_gev, sigma_over_e: p.sigma_over_e_leakage_corrected ?? NaN })))
      : null,
    profile: Float32Array.from(profile),
    shower: { energy_gev: energies[eShown], fraction: shower },
  }
}
