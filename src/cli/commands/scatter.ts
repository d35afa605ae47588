// `scatter`: vertical muons of one momentum through a slab, run through the volume's stepping code, compared with
// the hand Highland value (PDG RPP 2024 eq. 34.15) and PDG's displacement/correlation (eqs. 34.18–34.21). θ0 is the
// width of the Gaussian that describes the central 98 % of the projected angle (PDG's definition), the RMS beside it;
// energy loss (with straggling and stopping) and the single-scattering tail are on unless turned off. No tfjs here.
import { UsageError } from '../args'
import type { Command } from '../command'
import { isMaterialName, MATERIAL_NAMES, MATERIALS } from '../../engine/core/materials'
import { highlandTheta0 } from '../../engine/muography/highland'
import { runSlab } from '../../engine/muography/slab'

/** Highland's stated range, x/X0 ≤ 100 (PDG RPP 2024 §34.3) */
const HIGHLAND_MAX_X0 = 100
/** steps × muons above this is refused (minutes of CPU) */
const MAX_WORK = 2e9

export const scatter: Command = {
  name: 'scatter',
  usage: 'scatter --material M --thickness T --momentum P [--muons N] [--step S] [--seed K] [--msc uniform|cumulative] [--energy-loss on|off] [--tail on|off] --json',
  summary: 'multiple scattering of vertical muons through a slab: θ0, lateral displacement and their correlation vs Highland',
  async run({ flags, log }) {
    const name = flags.string('material')
    if (name === undefined) throw new UsageError('--material is required')
    if (!isMaterialName(name)) throw new UsageError(`--material: unknown material "${name}" (known: ${MATERIAL_NAMES.join(', ')})`)
    const thickness = flags.number('thickness')
    if (thickness === undefined) throw new UsageError('--thickness is required (metres)')
    if (!(thickness > 0) || thickness > 100) throw new UsageError(`--thickness: ${thickness} m must be in (0, 100]`)
    const momentum = flags.number('momentum')
    if (momentum === undefined) throw new UsageError('--momentum is required (GeV/c)')
    if (!(momentum > 0) || momentum > 1e5) throw new UsageError(`--momentum: ${momentum} GeV/c must be in (0, 100000]`)
    const muons = flags.number('muons', 100_000, { min: 2, max: 10_000_000, integer: true })
    const stepFlag = flags.number('step')
    if (stepFlag !== undefined && !(stepFlag > 0)) throw new UsageError(`--step: ${stepFlag} m must be positive`)
    const step = Math.min(stepFlag ?? 0.01, thickness)
    const seed = flags.number('seed', 42, { min: 0, max: 2 ** 32 - 1, integer: true })
    const msc = flags.choice('msc', ['cumulative', 'uniform'] as const, 'uniform')
    const energyLoss = flags.choice('energy-loss', ['on', 'off'] as const, 'on') === 'on'
    const tail = flags.choice('tail', ['on', 'off'] as const, 'on') === 'on'
    flags.assertAllUsed()
    if (muons * Math.ceil(thickness / step) > MAX_WORK) {
      throw new UsageError(`--muons ${muons} × ${Math.ceil(thickness / step)} steps is too much work; use fewer muons or a longer --step`)
    }

    const radLengths = thickness / MATERIALS[name].x0_m
    const warnings: string[] = []
    if (radLengths > HIGHLAND_MAX_X0) {
      warnings.push(`${radLengths.toPrecision(3)} radiation lengths is beyond Highland's range (x/X0 ≤ ${HIGHLAND_MAX_X0}, PDG): θ0 is an extrapolation`)
    }
    for (const w of warnings) log(`scatter: warning: ${w}`)
    log(`scatter: ${muons} muons of ${momentum} GeV/c through ${thickness} m of ${name}, step ${step} m (${msc})`)
    const t0 = performance.now()
    const { stats: s } = runSlab({ material: name, thickness, momentum, muons, step, seed, msc, energyLoss, tail })
    log(`scatter: done in ${((performance.now() - t0) / 1000).toFixed(2)} s, ${s.used} muons left through the bottom`)
    const hand = highlandTheta0(thickness, MATERIALS[name].x0_m, momentum)
    const sig = (v: number) => Number(v.toPrecision(6))
    const output = {
      material: name,
      thickness_m: thickness,
      momentum_gev: momentum,
      muons,
      step_m: step,
      seed,
      msc,
      energy_loss: energyLoss,
      tail,
      muons_exited: s.used,
      /** width of the Gaussian of the central 98 % of the projected angle (PDG's θ0) */
      theta0_x_mrad: sig(s.theta0_x * 1e3),
      theta0_y_mrad: sig(s.theta0_y * 1e3),
      theta_rms_x_mrad: sig(s.rms_x * 1e3),
      theta_rms_y_mrad: sig(s.rms_y * 1e3),
      /** projected angles (x and y pooled) beyond 4 θ0 of Highland; a Gaussian puts 6.3e-5 there */
      tail_fraction_4sigma: sig(s.tail_4sigma),
      momentum_out_mean_gev: Number.isFinite(s.p_out_mean) ? sig(s.p_out_mean) : null,
      stopped_fraction: sig(s.stopped),
      displacement_rms_mm: sig(((s.disp_x + s.disp_y) / 2) * 1e3),
      displacement_x_mm: sig(s.disp_x * 1e3),
      displacement_y_mm: sig(s.disp_y * 1e3),
      correlation: sig((s.corr_x + s.corr_y) / 2),
      correlation_x: sig(s.corr_x),
      correlation_y: sig(s.corr_y),
      highland_mrad: sig(hand * 1e3),
      /** PDG: y_rms = x·θ0/√3 with the hand θ0 */
      displacement_pdg_mm: sig(((thickness * hand) / Math.sqrt(3)) * 1e3),
      warnings,
    }
    const text = [
      `${MATERIALS[name].label}, ${thickness} m, ${momentum} GeV/c, ${muons} muons, step ${step} m (${msc})`,
      `θ0 (central 98 %)         x ${output.theta0_x_mrad} mrad  y ${output.theta0_y_mrad} mrad   Highland ${output.highland_mrad} mrad`,
      `RMS projected angle       x ${output.theta_rms_x_mrad} mrad  y ${output.theta_rms_y_mrad} mrad   beyond 4 θ0: ${output.tail_fraction_4sigma}`,
      `energy loss ${energyLoss ? 'on' : 'off'}, tail ${tail ? 'on' : 'off'}: mean exit momentum ${output.momentum_out_mean_gev ?? '—'} GeV/c, stopped ${output.stopped_fraction}`,
      `lateral displacement RMS  ${output.displacement_rms_mm} mm   PDG x·θ0/√3 ${output.displacement_pdg_mm} mm`,
      `correlation (y, θ)        ${output.correlation}   PDG √3/2 = 0.866`,
      ...warnings.map((w) => `warning: ${w}`),
    ].join('\n')
    return { output, text }
  },
}
