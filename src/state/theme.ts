// Light or dark: the user's choice (remembered in this browser) or, until they make one, the system's
// (prefers-color-scheme, followed live). Applied as data-theme on <html>; the CSS variables of App.css do the rest,
// and useThemeColour gives the 3D views and canvases the same colours.
import { useSyncExternalStore } from 'react'
import { storage } from './autosave'

export type ThemeChoice = 'system' | 'light' | 'dark'
export type Theme = 'light' | 'dark'

/** localStorage key of the user's choice (absent: follow the system) */
export const THEME_KEY = 'dds.theme.v1'

const listeners = new Set<() => void>()
const systemQuery = (): MediaQueryList | null =>
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null

export function themeChoice(): ThemeChoice {
  const v = storage()?.getItem(THEME_KEY)
  return v === 'light' || v === 'dark' ? v : 'system'
}

export function resolvedTheme(choice: ThemeChoice = themeChoice()): Theme {
  if (choice !== 'system') return choice
  return systemQuery()?.matches ? 'light' : 'dark'
}

/** variables read for the current theme (a read can force a style recalculation: once per theme is enough) */
const cache = new Map<string, string>()

/** the theme applied, kept here: useTheme's snapshot is read at every render of every themed component, and a read
 *  of the DOM attribute there showed as 5–6 ms of a step's React work in a profile of a run */
let current: Theme = 'dark'

function apply(choice: ThemeChoice = themeChoice()): void {
  current = resolvedTheme(choice)
  document.documentElement.dataset.theme = current
  cache.clear()
  for (const l of listeners) l()
}

export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') storage()?.removeItem(THEME_KEY)
    else storage()?.setItem(THEME_KEY, choice)
  } catch { /* storage full or off: the choice holds for this page only */ }
  apply(choice)
}

/** the next choice of the toolbar's toggle: system → light → dark → system */
export const nextChoice = (c: ThemeChoice): ThemeChoice => (c === 'system' ? 'light' : c === 'light' ? 'dark' : 'system')

/** set the theme before the first render and follow the system's changes while the user has not chosen */
export function initTheme(): void {
  apply()
  systemQuery()?.addEventListener('change', () => { if (themeChoice() === 'system') apply() })
}

const subscribe = (l: () => void) => { listeners.add(l); return () => { listeners.delete(l) } }

const snapshot = (): Theme => current
export const useTheme = (): Theme => useSyncExternalStore(subscribe, snapshot)
export const useThemeChoice = (): ThemeChoice => useSyncExternalStore(subscribe, themeChoice)

/** a CSS colour variable of App.css, as the current theme sets it (for three.js and canvases) */
export function cssVar(name: string): string {
  let v = cache.get(name)
  if (v === undefined) {
    v = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
    cache.set(name, v)
  }
  return v
}

/** cssVar, re-read when the theme changes */
export function useThemeColour(name: string): string {
  useTheme()
  return cssVar(name)
}
