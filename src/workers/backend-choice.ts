// Choosing the tfjs backend by measurement: each backend that starts runs the same short calibration step, and the
// fastest one that computes the same loss as the CPU reference (wasm) is kept. No tfjs here: the UI's backend
// badge formats the figures with calibrationSummary.
import type { BackendAttempt, BackendName } from './protocol'

/** a backend whose calibration loss differs from wasm's by more than this (relative) computes wrongly */
export const CALIBRATION_LOSS_TOLERANCE = 0.05

/**
 * The fastest calibrated backend, or null when none was calibrated. A backend whose loss is not finite, or
 * strays from the wasm backend's loss on the same step, is passed over (its note says why).
 */
export function fastestBackend(attempts: BackendAttempt[]): BackendName | null {
  const ref = attempts.find((a) => a.name === 'wasm' && a.ok && a.stepMs !== undefined)?.loss
  let best: BackendAttempt | null = null
  for (const a of attempts) {
    if (!a.ok || a.stepMs === undefined || !Number.isFinite(a.stepMs)) continue
    if (a.loss === undefined || !Number.isFinite(a.loss)) {
      a.ok = false
      a.note = `calibration loss ${a.loss} is not finite`
      continue
    }
    if (ref !== undefined && Math.abs(a.loss / ref - 1) > CALIBRATION_LOSS_TOLERANCE) {
      a.ok = false
      a.note = `calibration loss ${a.loss.toPrecision(4)} differs from wasm's ${ref.toPrecision(4)}`
      continue
    }
    if (!best || a.stepMs < best.stepMs!) best = a
  }
  return best?.name ?? null
}

/** "webgpu 41 ms/step · wasm 120 ms/step", fastest first; empty when nothing was calibrated */
export function calibrationSummary(attempts: readonly BackendAttempt[]): string {
  return attempts
    .filter((a) => a.ok && a.stepMs !== undefined)
    .sort((a, b) => a.stepMs! - b.stepMs!)
    .map((a) => `${a.name} ${Math.round(a.stepMs!)} ms/step`)
    .join(' · ')
}
