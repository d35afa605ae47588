// The benchmark page (/bench.html): runs the `npm run bench` scenarios on every tfjs backend this browser has
// (webgpu, webgl, wasm), shows muons/s and showers/s with the phase split of a step and the GPU kernels the steps
// ran, and offers the figures as JSON; on webgpu it first checks each GPU kernel against its CPU reference. URL parameters preset the form:
// ?backends=webgpu,wasm&muons=10000,100000&showers=20000&repeats=5&kernels=1&x0=1&run=1 (muons=0: no muography
// scenario; x0=1: each muography scenario with the x0 loss too).
import { BACKEND_ORDER, isBackendName, type BackendName } from '../workers/protocol'
import type { KernelCheck } from '../engine/gpu/check'
import type { BenchMessage, BenchRequest, BenchRow } from './protocol'

const params = new URLSearchParams(location.search)
const root = document.getElementById('bench')!

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props)
  e.append(...kids)
  return e
}

function numbers(s: string | null, fallback: number[], min = 1): number[] {
  const v = (s ?? '').split(',').filter((x) => x.trim() !== '').map(Number).filter((x) => Number.isInteger(x) && x >= min)
  return v.length ? v : fallback
}

const style = el('style')
style.textContent = `body{font:14px system-ui,sans-serif;margin:1.5rem;max-width:72rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
th{background:#f4f4f4}td.l,th.l{text-align:left}label{margin-right:1rem}input[type=text]{width:9rem}
pre{background:#f7f7f7;padding:.6rem;max-height:20rem;overflow:auto}.muted{color:#666}.bad{color:#a00}`
document.head.append(style)

const backendsWanted = (params.get('backends') ?? 'webgpu,webgl,wasm').split(',').filter(isBackendName)
const checks = BACKEND_ORDER.filter((b) => b !== 'cpu').map((b) => el('input', { type: 'checkbox', checked: backendsWanted.includes(b), value: b }))
const muonsIn = el('input', { type: 'text', value: numbers(params.get('muons'), [10_000, 100_000], 0).join(',') })
const showersIn = el('input', { type: 'text', value: String(numbers(params.get('showers'), [20_000], 0)[0]) })
const repeatsIn = el('input', { type: 'text', value: String(numbers(params.get('repeats'), [5])[0]) })
const kernelsIn = el('input', { type: 'checkbox', checked: params.get('kernels') !== '0' })
const x0In = el('input', { type: 'checkbox', checked: params.get('x0') === '1' })
const runButton = el('button', { type: 'button', textContent: 'Run' })
const status = el('p', { className: 'muted' })
status.dataset.testid = 'bench-status'
const body = el('tbody')
const table = el('table', {}, el('thead', {}, el('tr', {},
  ...['backend', 'scenario', 'size', 'step (median)', 'throughput', 'waits per step (reads: tensors + kernels)', 'phases (ms per step)', 'GPU kernels run']
    .map((h, i) => el('th', { className: i < 2 || i >= 6 ? 'l' : '', textContent: h })))), body)
const kernelBody = el('tbody')
const kernelTable = el('table', { hidden: true }, el('thead', {}, el('tr', {},
  ...['GPU kernel', 'size', 'largest difference from the CPU (tolerance)', 'agrees', 'GPU ms (with compile, read-back)', 'CPU ms'].map((h, i) => el('th', { className: i === 0 || i === 2 ? 'l' : '', textContent: h })))), kernelBody)
const json = el('pre')
json.dataset.testid = 'bench-json'
const download = el('a', { textContent: 'Download JSON', download: 'dds-bench.json', hidden: true })
download.dataset.testid = 'bench-download'

root.append(
  el('h1', { textContent: 'Detector Design Studio — benchmark' }),
  el('p', { textContent: 'One full optimisation step (generate, propagate, reconstruct, paths and EM, loss and gradient, update) of the ' +
    'benchmark designs of `npm run bench`, on each tfjs backend this browser starts: the median of the timed steps after one warm-up. ' +
    'Software GPUs (SwiftShader) run too, and are slow. Nothing leaves this page; the JSON is for sharing by hand. ' +
    'On more than one CPU thread the next step\'s muons (showers) are simulated while this step computes its loss and ' +
    'gradient, so the simulate (draws) phase shows only the wait for them.' }),
  el('p', {}, el('span', { textContent: 'backends: ' }), ...checks.map((c) => el('label', {}, c, ` ${c.value}`))),
  el('p', {}, el('label', {}, 'muons per step ', muonsIn), el('label', {}, 'showers per step (0: none) ', showersIn),
    el('label', {}, 'timed steps ', repeatsIn), el('label', {}, x0In, ' muography with the x0 loss too'),
    el('label', {}, kernelsIn, ' check the GPU kernels against the CPU (webgpu)'), runButton),
  status, kernelTable, table, download, json,
)

const fmt = (r: BenchRow) => `${Math.round(r.per_s).toLocaleString('en')} ${r.kind === 'calorimeter' ? 'showers' : 'muons'}/s`

function run(): void {
  const req: BenchRequest = {
    backends: checks.filter((c) => c.checked).map((c) => c.value).filter(isBackendName),
    muons: numbers(muonsIn.value, []),
    x0Loss: x0In.checked,
    showers: numbers(showersIn.value, [0], 0)[0],
    repeats: Math.min(50, numbers(repeatsIn.value, [5])[0]),
    kernels: kernelsIn.checked,
  }
  runButton.disabled = true
  body.replaceChildren()
  kernelBody.replaceChildren()
  kernelTable.hidden = true
  download.hidden = true
  const result = {
    tool: 'Detector Design Studio bench page', started_at: new Date().toISOString(), user_agent: navigator.userAgent,
    cross_origin_isolated: self.crossOriginIsolated === true, threads: 1, request: req,
    backends: [] as { name: BackendName; ok: boolean; note?: string }[], rows: [] as BenchRow[], errors: [] as string[],
    kernels: [] as KernelCheck[],
  }
  const show = () => { json.textContent = JSON.stringify(result, null, 2) }
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' })
  status.textContent = 'starting…'
  worker.onmessage = (e: MessageEvent<BenchMessage>) => {
    const m = e.data
    if (m.type === 'start') { result.threads = m.threads; status.textContent = `running on ${m.threads} CPU thread${m.threads > 1 ? 's' : ''}…` }
    else if (m.type === 'backend') {
      result.backends.push({ name: m.backend, ok: m.ok, note: m.note })
      status.textContent = m.ok ? `running on ${m.backend}…` : `${m.backend} did not start: ${m.note}`
    } else if (m.type === 'row') {
      const r = m.row
      result.rows.push(r)
      const phases = Object.entries(r.phases_ms).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')
      const tr = el('tr', {}, el('td', { className: 'l', textContent: r.backend }), el('td', { className: 'l', textContent: r.kind }),
        el('td', { textContent: r.size.toLocaleString('en') }), el('td', { textContent: `${r.step_ms.toFixed(1)} ms` }),
        el('td', { textContent: fmt(r) }), el('td', { textContent: `${r.reads_per_step.waits.toFixed(1)} (${r.reads_per_step.tensor.toFixed(1)} + ${r.reads_per_step.kernel.toFixed(1)})` }),
        el('td', { className: 'l', textContent: phases }),
        el('td', { className: 'l', textContent: Object.keys(r.gpu_kernels).map((k) => k.replace(/^dds /, '')).join(', ') || '—' }))
      tr.dataset.testid = `bench-row-${r.backend}-${r.kind}-${r.size}`
      body.append(tr)
    } else if (m.type === 'kernels') {
      result.kernels.push(...m.checks)
      kernelTable.hidden = false
      for (const c of m.checks) {
        const diffs = c.outputs.map((o) => `${o.name} ${o.maxError.toExponential(1)} (${o.tolerance.toExponential(0)}${o.scale === 'relative' ? ' rel.' : ''})`).join(' · ')
        const tr = el('tr', {}, el('td', { className: 'l', textContent: c.kernel }), el('td', { textContent: c.size.toLocaleString('en') }),
          el('td', { className: 'l', textContent: diffs }), el('td', { className: c.ok ? '' : 'bad', textContent: c.ok ? 'yes' : 'NO' }),
          el('td', { textContent: c.gpu_ms.toFixed(1) }), el('td', { textContent: c.cpu_ms.toFixed(1) }))
        tr.dataset.testid = `kernel-row-${c.kernel}`
        kernelBody.append(tr)
      }
    } else if (m.type === 'error') {
      result.errors.push(`${m.backend}: ${m.message}`)
      body.append(el('tr', {}, el('td', { className: 'l', textContent: m.backend }), el('td', { className: 'l bad', colSpan: 6, textContent: m.message })))
    } else {
      worker.terminate()
      runButton.disabled = false
      status.textContent = `done: ${result.rows.length} figures on ${result.backends.filter((b) => b.ok).map((b) => b.name).join(', ') || 'no backend'}`
      download.href = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' }))
      download.hidden = false
    }
    show()
  }
  worker.onerror = (e) => { status.textContent = `the bench worker failed: ${e.message}`; runButton.disabled = false }
  worker.postMessage(req)
}

runButton.onclick = run
if (params.get('run') === '1') run()
