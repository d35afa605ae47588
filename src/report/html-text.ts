// Text for the report's HTML and SVG: escaping and number formats.

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** a coordinate in an SVG attribute (0.1 px is finer than any printer) */
export const num = (v: number): string => String(Math.round(v * 10) / 10)

/** a value with 4 significant digits, or a dash when there is none */
export function sig(v: number | null | undefined, digits = 4): string {
  if (v == null || !Number.isFinite(v)) return '—'
  if (v === 0) return '0'
  const a = Math.abs(v)
  return a >= 1e5 || a < 1e-3 ? v.toExponential(digits - 1) : String(+v.toPrecision(digits))
}
