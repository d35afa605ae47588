// The studio shell: toolbar, the workspace for the loaded design's kind, alerts, drag-and-drop import and
// keyboard shortcuts. Workspaces plug in by design.kind (muography now; the calorimeter studio later).
import { lazy, Suspense, useCallback, useEffect, useState, type ComponentType, type DragEvent } from 'react'
import type { Design } from './engine/design/schema'
import { AlertBox } from './ui/AlertBox'
import { Charts } from './kinds/muography/Charts'
import { Inspector } from './kinds/muography/Inspector'
import { useShortcuts, ShortcutHelp } from './ui/Shortcuts'
import { StatusBar } from './ui/StatusBar'
import { Toolbar } from './ui/Toolbar'
import { ViewOverlay } from './kinds/muography/ViewOverlay'
import { X0Slices } from './kinds/muography/X0Slices'
import { CaloWorkspace } from './kinds/calorimeter/Workspace'
import { boot, importFile, pause } from './state/actions'
import { useStudio } from './state/store'
import './state/trust' // autosave/restore, undo, share links, engine supervision (installs its boot hooks)
import { RestoreNotice, ShareLinkField } from './ui/TrustControls'
import './App.css'

const Viewer = lazy(() => import('./kinds/muography/scene/Viewer').then((m) => ({ default: m.Viewer })))

function MuographyWorkspace() {
  return (
    <main className="workspace muography">
      <section className="view" aria-label="3D view">
        <Suspense fallback={<div className="loading">loading the 3D view…</div>}>
          <Viewer />
        </Suspense>
        <ViewOverlay />
      </section>
      <Inspector />
      <div className="bottom">
        <Charts />
        <X0Slices />
      </div>
    </main>
  )
}

function PendingWorkspace({ kind }: { kind: string }) {
  return (
    <main className="workspace pending">
      <p>The {kind} studio is not available in this version yet. The design was validated; use Export design to save it.</p>
    </main>
  )
}

/** one workspace per design kind */
const WORKSPACES: Partial<Record<Design['kind'], ComponentType>> = {
  muography: MuographyWorkspace,
  calorimeter: CaloWorkspace,
}

function Workspace() {
  const kind = useStudio((s) => s.design?.kind ?? null)
  const status = useStudio((s) => s.status)
  const engineError = useStudio((s) => s.engineError)
  if (!kind) {
    return (
      <main className="workspace pending">
        <p>{engineError ? `The engine could not start: ${engineError}` : status === 'starting' ? 'Starting the engine…' : 'Loading the design…'}</p>
      </main>
    )
  }
  const W = WORKSPACES[kind]
  return W ? <W /> : <PendingWorkspace kind={kind} />
}

export default function App() {
  const [help, setHelp] = useState(false)
  const [dropping, setDropping] = useState(false)
  const toggleHelp = useCallback(() => setHelp((h) => !h), [])
  useShortcuts(toggleHelp)
  useEffect(() => { void boot() }, [])

  const onDragOver = (e: DragEvent) => {
    if (![...e.dataTransfer.types].includes('Files')) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'copy'
    setDropping(true)
  }
  const onDrop = async (e: DragEvent) => {
    e.preventDefault()
    setDropping(false)
    const f = e.dataTransfer.files?.[0]
    if (f) { await pause(); await importFile(f) }
  }
  return (
    <div className="app" onDragOver={onDragOver} onDragLeave={(e) => { if (e.currentTarget === e.target) setDropping(false) }} onDrop={onDrop}>
      <Toolbar />
      <AlertBox />
      <RestoreNotice />
      <ShareLinkField />
      <Workspace />
      <StatusBar onHelp={toggleHelp} />
      {dropping && <div className="dropzone" aria-hidden>Drop a design file to import it</div>}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  )
}
