// @vitest-environment jsdom
// The theme: the user's choice wins and is remembered; without one the system's preference decides, live.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initTheme, nextChoice, resolvedTheme, setThemeChoice, THEME_KEY, themeChoice } from './theme'

let systemLight = false
const changeListeners: (() => void)[] = []

beforeEach(() => {
  localStorage.clear()
  systemLight = false
  changeListeners.length = 0
  window.matchMedia = ((q: string) => ({
    get matches() { return q.includes('light') && systemLight },
    media: q,
    addEventListener: (_: string, l: () => void) => { changeListeners.push(l) },
    removeEventListener: () => {},
  })) as unknown as typeof window.matchMedia
})
afterEach(() => { delete document.documentElement.dataset.theme })

describe('theme', () => {
  it('follows the system until the user chooses, and then keeps the choice', () => {
    initTheme()
    expect(themeChoice()).toBe('system')
    expect(document.documentElement.dataset.theme).toBe('dark')
    systemLight = true
    for (const l of changeListeners) l()
    expect(document.documentElement.dataset.theme).toBe('light')

    setThemeChoice('dark')
    expect(localStorage.getItem(THEME_KEY)).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    // the system changing again does not override the user's choice
    for (const l of changeListeners) l()
    expect(document.documentElement.dataset.theme).toBe('dark')

    setThemeChoice('system')
    expect(localStorage.getItem(THEME_KEY)).toBeNull()
    expect(resolvedTheme()).toBe('light')
  })

  it('a stored choice applies at start; anything else stored counts as no choice', () => {
    localStorage.setItem(THEME_KEY, 'light')
    initTheme()
    expect(document.documentElement.dataset.theme).toBe('light')
    localStorage.setItem(THEME_KEY, 'purple')
    expect(themeChoice()).toBe('system')
  })

  it('the toggle cycles system → light → dark → system', () => {
    expect([nextChoice('system'), nextChoice('light'), nextChoice('dark')]).toEqual(['light', 'dark', 'system'])
  })
})
