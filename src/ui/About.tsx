// The about box: what the studio is, its version and licence, how to cite it (the repository's CITATION.cff, as
// shipped), where the documentation is, and the open design's own description. Loaded when first opened.
import citation from '../../CITATION.cff?raw'
import { license, version } from '../../package.json'
import { useStudio } from '../state/store'
import { Modal } from './Modal'

const DOCS = [
  ['docs/physics-muography-simulation.md', 'the muon simulation: scattering, energy loss, panels'],
  ['docs/physics-inference.md', 'the X0 inference and the losses'],
  ['docs/physics-calorimeter.md', 'the calorimeter model and its validation against published detectors'],
  ['docs/design-file.md', 'the design file, field by field'],
  ['docs/cli.md', 'the command line'],
  ['docs/architecture.md', 'how the studio is built'],
] as const

export default function About({ onClose }: { onClose(): void }) {
  const design = useStudio((s) => s.design)
  return (
    <Modal label="About Detector Design Studio" onClose={onClose}>
      <h2>Detector Design Studio <span className="muted" data-testid="app-version">{version}</span></h2>
      <p>
        Design a muon-scattering tomography detector or a sampling calorimeter by hand and by gradient descent at
        once: a differentiable simulation, reconstruction and cost model in TensorFlow.js, running in your browser.
        Everything runs locally. Licence: {license}.
      </p>
      {design && (
        <section aria-label="This design">
          <h3>{design.name}</h3>
          <p>{design.description || 'This design has no description.'}</p>
        </section>
      )}
      <h3>Documentation</h3>
      <p className="muted">In the <code>docs/</code> folder of the source distribution:</p>
      <ul className="about-docs">{DOCS.map(([file, what]) => <li key={file}><code>{file}</code>: {what}</li>)}</ul>
      <h3>How to cite</h3>
      <pre className="about-cite">{citation}</pre>
    </Modal>
  )
}
