// Colours shared by the 3D views, the legends, the charts and the X0 slices, in a module without three.js (the 3D
// code stays out of the first download). X0 uses a log scale, dense (short X0) materials bright; the error view
// uses a diverging scale of log2(pred/true).

/** one colour per detector stack */
export const STACK_COLOURS = { above: '#f59e0b', below: '#22d3ee' } as const

/** the calorimeter's mean longitudinal shower profile */
export const PROFILE_COLOUR = '#fb923c'
/** one shower over the mean profile: the theme's foreground (a CSS variable of App.css) */
export const SHOWER_COLOUR_VAR = '--series-fg'

/** slab colours by material (absorbers dark and metallic, active media light) */
export const MATERIAL_COLOURS: Record<string, string> = {
  lead: '#64748b', tungsten: '#94a3b8', uranium: '#7c8a6e', iron: '#8a7a70', steel: '#9ca3af', copper: '#b45309',
  aluminium: '#cbd5e1', pbwo4: '#a78bfa', 'liquid-argon': '#38bdf8', scintillator: '#4ade80', silicon: '#818cf8',
  water: '#0ea5e9', polyethylene: '#e2e8f0', air: '#1e293b', beryllium: '#d6d3d1', glass: '#99f6e4', wood: '#a8a29e',
  concrete: '#78716c',
}

export function materialColour(name: string): string {
  return MATERIAL_COLOURS[name] ?? '#e879f9'
}

const VIRIDIS: [number, number, number][] = [
  [0.267, 0.005, 0.329], [0.283, 0.141, 0.458], [0.254, 0.265, 0.53], [0.207, 0.372, 0.553],
  [0.164, 0.471, 0.558], [0.128, 0.567, 0.551], [0.135, 0.659, 0.518], [0.267, 0.749, 0.441],
  [0.478, 0.821, 0.318], [0.741, 0.873, 0.15], [0.993, 0.906, 0.144],
]
const DIVERGING: [number, number, number][] = [
  [0.13, 0.4, 0.67], [0.57, 0.77, 0.87], [0.97, 0.97, 0.97], [0.96, 0.65, 0.51], [0.7, 0.09, 0.17],
]

function ramp(stops: [number, number, number][], t: number, out: [number, number, number]): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(u))
  const f = u - i
  const a = stops[i], b = stops[i + 1]
  out[0] = a[0] + (b[0] - a[0]) * f
  out[1] = a[1] + (b[1] - a[1]) * f
  out[2] = a[2] + (b[2] - a[2]) * f
  return out
}

export const viridis = (t: number, out: [number, number, number] = [0, 0, 0]) => ramp(VIRIDIS, t, out)
export const diverging = (t: number, out: [number, number, number] = [0, 0, 0]) => ramp(DIVERGING, t, out)

/** a log10 range of X0 values (metres) */
export interface LogRange { lo: number; hi: number }

export function x0Range(...arrays: (ArrayLike<number> | null | undefined)[]): LogRange {
  let lo = Infinity, hi = -Infinity
  for (const a of arrays) {
    if (!a) continue
    for (let i = 0; i < a.length; i++) {
      const v = a[i]
      if (v > 0 && Number.isFinite(v)) { const l = Math.log10(v); if (l < lo) lo = l; if (l > hi) hi = l }
    }
  }
  if (!Number.isFinite(lo)) return { lo: -2, hi: 0 }
  if (hi - lo < 0.2) { const c = (hi + lo) / 2; lo = c - 0.5; hi = c + 0.5 }
  return { lo, hi }
}

/** 0 for the longest X0 of the range (light material), 1 for the shortest (dense) */
export function x0Position(x0: number, r: LogRange): number {
  if (!(x0 > 0)) return 0
  return (r.hi - Math.log10(x0)) / (r.hi - r.lo)
}

/** the error scale spans pred/true from 1/ERROR_SPAN to ERROR_SPAN */
export const ERROR_SPAN = 4

/** 0.5 = exact; 0 = under-predicted by ERROR_SPAN×, 1 = over-predicted by ERROR_SPAN× */
export function errorPosition(pred: number, truth: number): number {
  if (!(pred > 0) || !(truth > 0)) return 0.5
  return 0.5 + Math.log(pred / truth) / Math.log(ERROR_SPAN) / 2
}

export function cssColour(c: [number, number, number]): string {
  return `rgb(${Math.round(c[0] * 255)}, ${Math.round(c[1] * 255)}, ${Math.round(c[2] * 255)})`
}

/** format a length in metres with a sensible unit */
export function formatLength(m: number): string {
  if (!Number.isFinite(m)) return '—'
  const a = Math.abs(m)
  if (a >= 1) return `${+m.toPrecision(3)} m`
  if (a >= 0.01) return `${+(m * 100).toPrecision(3)} cm`
  return `${+(m * 1000).toPrecision(3)} mm`
}
