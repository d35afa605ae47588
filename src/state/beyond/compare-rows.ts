// The comparison table of two evaluated designs (./compare.ts): the validation, the detector cost and every
// parameter of either, matched by name, each row marked when the two differ.
import type { BackgroundResult } from '../../workers/background-protocol'

export interface CompareRow { name: string; a: number | null; b: number | null; differs: boolean; unit: string }

/** metrics and parameters of A and B in one list; `differs` beyond float32 rounding (relative 1e-6) */
export function compareRows(a: BackgroundResult, b: BackgroundResult, costUnit: string): CompareRow[] {
  const row = (name: string, x: number | null, y: number | null, unit: string): CompareRow => ({
    name, a: x, b: y, unit,
    differs: x == null || y == null || Math.abs(x - y) > 1e-6 * Math.max(Math.abs(x), Math.abs(y), 1e-12),
  })
  const rows = [
    row('validation', a.best.validation, b.best.validation, ''),
    row('detector cost', a.cost, b.cost, costUnit),
  ]
  const names = [...new Set([...a.space.names, ...b.space.names])]
  for (const n of names) {
    const i = a.space.names.indexOf(n), j = b.space.names.indexOf(n)
    rows.push(row(n, i >= 0 ? a.final[i] : null, j >= 0 ? b.final[j] : null, 'm'))
  }
  return rows
}
