// What the optimiser asks of a beam. A shower's energy is measured: the task is its resolution (σ/E, or the fitted
// a/√E ⊕ b/E ⊕ c) and the calibration's linearity, after the rear-leakage correction where the design asks for it.
// A muon crosses the stack and leaves a minimum-ionising signal, a few per cent of its energy: its energy is not
// measured, so a linearity, a resolution fit and a leakage correction mean nothing for it. Its task is the relative
// width of its signal, σ/⟨Ê⟩, as a muon calibration or identification wants a narrow peak.
import type { Particle } from './model'

/** whether the beam showers (its energy is measured), or crosses the stack (a muon) */
export function showers(particle: Particle): boolean {
  return particle !== 'mu-'
}
