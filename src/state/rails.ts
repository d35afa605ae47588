// The numerical guard rails made visible: a run that keeps producing non-finite values (the optimiser skips such
// steps and counts them in snapshot.nanSteps) pauses itself. Snapshots arrive batched (~10 per second), so the
// streak is tracked from the step and nanSteps counters: when every step since the last snapshot was skipped the
// streak grows, otherwise it restarts with the skipped steps seen (at most the trailing ones).

/** consecutive skipped steps that pause a run */
export const NAN_STREAK_LIMIT = 5

export interface StreakState {
  step: number
  nanSteps: number
  streak: number
}

export const initialStreak = (): StreakState => ({ step: 0, nanSteps: 0, streak: 0 })

/** the next streak state from a snapshot's counters; a counter that went down (new session) starts over */
export function nextStreak(prev: StreakState, step: number, nanSteps: number): StreakState {
  if (step < prev.step || nanSteps < prev.nanSteps) return { step, nanSteps, streak: Math.min(nanSteps, step) }
  const dSteps = step - prev.step
  const dNan = nanSteps - prev.nanSteps
  if (dSteps === 0) return { step, nanSteps, streak: prev.streak }
  if (dNan >= dSteps) return { step, nanSteps, streak: prev.streak + dSteps }
  // some finite steps in between: at most the skipped ones can be trailing
  return { step, nanSteps, streak: 0 + (dNan > 0 ? Math.min(dNan, 1) : 0) }
}
