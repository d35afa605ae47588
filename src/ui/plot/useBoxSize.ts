// The size of an element, kept up to date by a ResizeObserver: the plot draws in pixels (text keeps its size
// whatever the box), so it needs the box it fills.
import { useLayoutEffect, useRef, useState } from 'react'

export function useBoxSize<T extends HTMLElement>(): [React.RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null)
  const [size, setSize] = useState({ width: 0, height: 0 })
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const set = (width: number, height: number) => setSize((s) => (s.width === Math.round(width) && s.height === Math.round(height) ? s : { width: Math.round(width), height: Math.round(height) }))
    const box = el.getBoundingClientRect()
    set(box.width, box.height)
    if (typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(([e]) => set(e.contentRect.width, e.contentRect.height))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return [ref, size]
}
