// Hard limits in a validation metric (budget, depth): a design over a limit scores 1 + 10 × the relative excess
// on top of its task metric, so the best design kept and exported never breaks a limit the user set while one
// within it has been seen. The training loss uses smooth barriers instead (muography/cost.ts, calorimeter/loss.ts).

/** 0 within the limit (or with no limit); 1 + 10·(value/limit − 1) above it */
export function overLimitPenalty(value: number, limit: number | null): number {
  if (limit === null || !(limit > 0) || value <= limit * (1 + 1e-9)) return 0
  return 1 + 10 * (value / limit - 1)
}
