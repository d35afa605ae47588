// False on the first render, true from the next task on. The 3D views mount their text labels with it: the first
// label makes troika compile its glyph generator and create a WebGL canvas (40–50 ms in software WebGL), which
// then runs in a task of its own instead of lengthening the view's mount.
import { useEffect, useState } from 'react'

export function useNextTask(): boolean {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    const t = setTimeout(() => setReady(true), 0)
    return () => clearTimeout(t)
  }, [])
  return ready
}
