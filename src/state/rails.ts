// The numerical guard rails made visible: a run that keeps producing non-finite values (the optimiser skips such
// steps and counts them in snapshot.nanSteps) pauses itself. Snapshots arrive batched (~10 per second), so the
// streak is tracked from the step and nanSteps counters: when every step since the last snapshot was skipped the
// streak grows, otherwise it restarts with the skipped steps seen (at most the trailing ones).
import { pause } from './actions'
import { useStudio } from './store'

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

/** watch the store: a run whose last NAN_STREAK_LIMIT steps were all skipped pauses and says why */
export function pauseOnNonFiniteStreak(): void {
  let streak = initialStreak()
  let streakGen = -1
  useStudio.subscribe((s, p) => {
    if (s.step === p.step && s.nanSteps === p.nanSteps && s.generation === p.generation) return
    if (s.generation !== streakGen) { streakGen = s.generation; streak = { step: s.step, nanSteps: s.nanSteps, streak: 0 }; return }
    streak = nextStreak(streak, s.step, s.nanSteps)
    if (streak.streak >= NAN_STREAK_LIMIT && s.status === 'running') {
      const n = streak.streak
      streak = { ...streak, streak: 0 }
      void pause().then(() => useStudio.setState({
        notice: `paused: ${n} steps in a row were not finite`,
        alert: {
          title: 'Paused: the run keeps producing non-finite values',
          errors: [{ path: '', message: `${n} consecutive steps had a non-finite loss or gradient (NaN or ∞) and were skipped. Lower the learning rates or undo to the design before the run, then press Play.` }],
        },
      }))
    }
  })
}
