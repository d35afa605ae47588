// What the charts of both workspaces share: theme colours, number formatting, axis scales (nice linear and log
// ticks, the step axis) and the hooks that keep chart inputs stable, staggered and throttled while a run goes on.
import { startTransition, useEffect, useRef, useState } from 'react'
import { useStudio } from '../state/store'

// Theme colours as CSS variables (App.css): the charts follow the theme without re-rendering; the SVG export
// resolves them (chart-export.ts).
export const GRID = 'var(--chart-grid)'
export const AXIS_STROKE = 'var(--chart-axis)'
export const TICK_FILL = 'var(--chart-tick)'
export const TICK_FONT_SIZE = 11

/**
 * A formatter for chart labels: `digits` significant digits, exponent form when very large or small. One
 * argument only, so it can be handed to Array.map.
 */
export const formatter = (digits: number) => (v: unknown): string =>
  typeof v === 'number'
    ? Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(+v.toPrecision(digits))
    : String(v)

export const fmt = formatter(4)

/** about n "nice" ticks (1, 2, 5 × 10^k apart) covering [lo, hi]; returns the widened domain and the ticks */
export function niceScale(lo: number, hi: number, n = 4): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { domain: [0, 1], ticks: [0, 0.5, 1] }
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { const d = Math.abs(hi) * 0.1 || 1; lo -= d; hi += d }
  const raw = (hi - lo) / n
  const p = 10 ** Math.floor(Math.log10(raw))
  const f = raw / p
  const step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p
  const a = Math.floor(lo / step) * step, b = Math.ceil(hi / step) * step
  const ticks: number[] = []
  for (let v = a; v <= b + step / 2; v += step) ticks.push(+v.toPrecision(12))
  return { domain: [a, b], ticks }
}

/** decade ticks (1, 2, 5 × 10^k when the range spans two decades or less) for a log axis */
export function logScale(lo: number, hi: number): { domain: [number, number]; ticks: number[] } {
  if (!(lo > 0) || !(hi > 0)) return { domain: [1e-3, 1], ticks: [1e-3, 1e-2, 1e-1, 1] }
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi))
  const mult = b - a <= 2 ? [1, 2, 5] : [1]
  const ticks: number[] = []
  for (let k = a; k <= b; k++) for (const m of mult) { const v = m * 10 ** k; if (v >= 10 ** a && v <= 10 ** b) ticks.push(+v.toPrecision(6)) }
  return { domain: [10 ** a, 10 ** b], ticks }
}

/**
 * The step axis: from 0 to the end of the planned run (the design's optimizer.steps) while the run is within it,
 * otherwise to the next of 10, 20, 50, 100, 200, ... above the last step. A long plan is used once that growing
 * axis reaches a tenth of it (a 100 000-step plan does not squeeze a young run into the left edge). The axis changes
 * rarely while the run grows, so the lines do not jump sideways at every step.
 */
export function stepAxis(rows: { step: number }[], planned?: number | null) {
  const last = rows.length ? rows[rows.length - 1].step : 1
  let hi = 10
  for (let e = 1; hi < last && e < 12; e++) for (const m of [2, 5, 10]) { if (hi >= last) break; hi = m * 10 ** e }
  if (planned != null && planned >= 1 && last <= planned && planned <= 10 * hi) hi = planned
  return { domain: [0, hi] as [number, number], ticks: niceScale(0, hi, 5).ticks.filter((t) => t >= 0 && t <= hi) }
}

/** the planned length of a run from the design (optimizer.steps); the worker stops there */
export const plannedSteps = (design: { optimizer?: { steps?: number } } | null | undefined): number | null => design?.optimizer?.steps ?? null

/**
 * A value as a chart shows it: applied `delay` ms after it changes, as a transition, so each chart re-renders
 * and commits in a task of its own instead of all three in one long one (e.g. right after Play).
 */
export function useLagged<T>(value: T, delay: number): T {
  const [shown, setShown] = useState(value)
  useEffect(() => {
    if (Object.is(value, shown)) return
    const t = setTimeout(() => startTransition(() => setShown(value)), delay)
    return () => clearTimeout(t)
  }, [value, shown, delay])
  return shown
}

/** keep the previous object while it is equal by value (small arrays and domains), so memoised charts skip it */
export function useStable<T>(value: T): T {
  const [kept, setKept] = useState(value)
  const same = JSON.stringify(kept) === JSON.stringify(value)
  // React's pattern for state derived from props: a set during render re-runs this component at once
  if (!same) setKept(value)
  return same ? kept : value
}

type AxisScale = { domain: [number, number]; ticks: number[] }

/** `kept` while it contains the domain of `s`, else `remake` of the union of the two */
export function widened<T extends AxisScale>(kept: T, s: T, remake: (lo: number, hi: number) => T): T {
  const [a, b] = kept.domain, [c, d] = s.domain
  return c >= a && d <= b ? kept : remake(Math.min(a, c), Math.max(b, d))
}

/**
 * An axis scale that, while `growing` (a run goes on and has data), only widens: to `remake` of the union when new
 * data leave the kept domain, else the kept scale itself: a loss that falls step by step would otherwise rescale
 * its axis every few steps, and the curve would jump under the reader's eye. Stopped, the scale fits the data again.
 */
export function useGrowingScale<T extends AxisScale>(s: T, growing: boolean, remake: (lo: number, hi: number) => T): T {
  const [kept, setKept] = useState<{ s: T; growing: boolean }>({ s, growing })
  const next = growing && kept.growing ? widened(kept.s, s, remake) : s
  const same = kept.growing === growing && JSON.stringify(kept.s) === JSON.stringify(next)
  // React's pattern for state derived from props, as useStable
  if (!same) setKept({ s: next, growing })
  return same ? kept.s : next
}

/** `value`, passed on at most once every `ms` (the latest value, at the end of each interval) */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value)
  const last = useRef(-Infinity)
  useEffect(() => {
    if (Object.is(value, shown)) return
    const t = setTimeout(() => { last.current = performance.now(); setShown(value) }, Math.max(0, last.current + ms - performance.now()))
    return () => clearTimeout(t)
  }, [value, shown, ms])
  return shown
}

/** while a run goes on, a chart takes new steps at most this often: the page shares 2 cores with the engine */
const RUNNING_UPDATE_MS = 1000

/**
 * The history version and whether the run is stopped (more points, tooltips), applied together and lagged by
 * `delay` ms: one re-render per chart per change, and while running at most one a second.
 */
export function useChartInputs(delay: number): { version: number; tips: boolean } {
  const tips = useStudio((s) => s.status !== 'running')
  const version = useThrottled(useStudio((s) => s.historyVersion), tips ? 0 : RUNNING_UPDATE_MS)
  const key = `${version}|${tips ? 1 : 0}`
  const shown = useLagged(key, delay)
  const [v, t] = shown.split('|')
  return { version: Number(v), tips: t === '1' }
}
