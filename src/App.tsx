// The studio shell: toolbar, the workspace for the loaded design's kind (from the kind registry, src/kinds),
// alerts, drag-and-drop import and keyboard shortcuts.
import { lazy, Suspense, useCallback, useEffect, useState, type DragEvent } from 'react'
import { KINDS } from './kinds'
import { pause, importFile } from './state/actions'
import { boot } from './state/boot'
import { guideDue, markGuideSeen } from './state/guide'
import { useStudio } from './state/store'
import { AlertBox } from './ui/AlertBox'
import { useShortcuts, ShortcutHelp } from './ui/Shortcuts'
import { StatusBar } from './ui/StatusBar'
import { Toolbar } from './ui/Toolbar'
import { RestoreNotice, ShareLinkField } from './ui/TrustControls'
import './App.css'

// loaded when first opened: nothing of it in the page load
const About = lazy(() => import('./ui/About'))
const Guide = lazy(() => import('./ui/Guide'))

function Pending({ text }: { text: string }) {
  return (
    <main className="workspace pending">
      <p>{text}</p>
    </main>
  )
}

function Workspace() {
  const kind = useStudio((s) => s.design?.kind ?? null)
  // a boolean, not the status: a run's start or end must not re-render the workspace (and its 3D scene)
  const starting = useStudio((s) => s.status === 'starting')
  const engineError = useStudio((s) => s.engineError)
  if (!kind) {
    return <Pending text={engineError ? `The engine could not start: ${engineError}` : starting ? 'Starting the engine…' : 'Loading the design…'} />
  }
  const W = KINDS[kind].Workspace
  return (
    <Suspense fallback={<Pending text="Loading the studio…" />}>
      <W />
    </Suspense>
  )
}

export default function App() {
  const [help, setHelp] = useState(false)
  const [about, setAbout] = useState(false)
  const [guide, setGuide] = useState(false)
  const [dropping, setDropping] = useState(false)
  const toggleHelp = useCallback(() => setHelp((h) => !h), [])
  useShortcuts(toggleHelp)
  useEffect(() => { void boot() }, [])
  useEffect(() => { void guideDue().then((due) => { if (due) setGuide(true) }) }, [])

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
      <StatusBar onHelp={toggleHelp} onAbout={() => setAbout(true)} onGuide={() => setGuide(true)} />
      {dropping && <div className="dropzone" aria-hidden>Drop a design file to import it</div>}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {about && <Suspense fallback={null}><About onClose={() => setAbout(false)} /></Suspense>}
      {guide && <Suspense fallback={null}><Guide onClose={() => { markGuideSeen(); setGuide(false) }} /></Suspense>}
    </div>
  )
}
