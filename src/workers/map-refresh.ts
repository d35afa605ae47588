// How often the live view gets a new predicted X0 map, and which steps solve it (StepOptions.x0). With muography's
// Fisher loss a step does not need the map, and its EM solve is about a third of the step; the view shows a map at
// most every X0_INTERVAL_MS, so only the steps whose map the view will show solve it.

/** the view takes a new X0 map at most this often (ms) */
export const X0_INTERVAL_MS = 200

/**
 * Whether the step starting at `now` solves the map: it will have been X0_INTERVAL_MS since the last map was solved
 * by the time this step ends, taken to last as long as the last one (`lastStepMs`; 0 before any). A run whose steps
 * take longer than the interval solves it on every step.
 */
export function stepSolvesMap(now: number, lastSolvedAt: number, lastStepMs: number): boolean {
  return now - lastSolvedAt + lastStepMs >= X0_INTERVAL_MS
}
