// √(x² + y²) and √(x² + y² + z²) as V8's Math.hypot computes them (the arguments scaled by the largest, their
// squares Kahan-summed), so the same to the bit (hypot.test.ts), without the array Math.hypot allocates for its
// arguments on every call: the hot loops call these hundreds of thousands of times a step, and that garbage was a
// good part of what the step's collections swept.

/** √(x² + y²) */
export function hypot2(x: number, y: number): number {
  const ax = Math.abs(x), ay = Math.abs(y)
  if (ax === Infinity || ay === Infinity) return Infinity
  if (ax !== ax || ay !== ay) return NaN
  const max = ax > ay ? ax : ay
  if (max === 0) return 0
  const u = ax / max, v = ay / max
  // the Kahan sum of two: its first step is exact, so the compensation is 0 and the second summand v² itself
  return Math.sqrt(u * u + v * v) * max
}

/** √(x² + y² + z²) */
export function hypot3(x: number, y: number, z: number): number {
  const ax = Math.abs(x), ay = Math.abs(y), az = Math.abs(z)
  if (ax === Infinity || ay === Infinity || az === Infinity) return Infinity
  if (ax !== ax || ay !== ay || az !== az) return NaN
  let max = ax > ay ? ax : ay
  if (az > max) max = az
  if (max === 0) return 0
  let sum = 0, comp = 0
  let n = ax / max, summand = n * n - comp, next = sum + summand
  comp = next - sum - summand
  sum = next
  n = ay / max; summand = n * n - comp; next = sum + summand
  comp = next - sum - summand
  sum = next
  n = az / max; summand = n * n - comp; next = sum + summand
  sum = next
  return Math.sqrt(sum) * max
}
