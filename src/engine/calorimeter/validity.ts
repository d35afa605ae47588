// Where the shower parametrisations hold: energies outside the range they were fitted over get a warning (the
// model still runs; its numbers are then extrapolations). Ranges are our reading of the sources [E]: GFLASH
// (Grindhammer & Peters, hep-ex/0001020) was fitted to simulated showers of about 1 GeV to a few hundred GeV;
// Bock et al. (NIM 186 (1981) 533) to pion showers of about 10–140 GeV, and Groom's f_em law holds from a few GeV.
import type { Particle } from './model'

export const VALID_RANGE_GEV: Record<Particle, { min: number; max: number }> = {
  'e-': { min: 1, max: 500 },
  gamma: { min: 1, max: 500 },
  'pi-': { min: 5, max: 500 },
  // the muon's mean loss (muon-response.ts) holds from about 0.3 GeV; above about 100 GeV its radiative part, whose
  // rare large transfers are not modelled, becomes a large share of the loss in heavy absorbers
  'mu-': { min: 0.3, max: 100 },
}

export function energyWarnings(particle: Particle, energies: readonly number[]): string[] {
  const r = VALID_RANGE_GEV[particle]
  const out = energies.filter((e) => e < r.min || e > r.max)
  if (out.length === 0) return []
  const what = particle === 'pi-' ? 'the hadronic parametrisation (Bock et al., Groom)' : particle === 'mu-' ? 'the mean-loss muon model' : 'GFLASH'
  return [`${out.join(', ')} GeV ${out.length === 1 ? 'is' : 'are'} outside ${r.min}–${r.max} GeV, where ${what} holds; the results there are extrapolations`]
}
