// The reconstruction's inputs made on the GPU (gpu/reco-inputs.ts) against recoInputs of the same tracks and draws
// read back, for gpu/check.ts's detector check: the lines are float32 against float64, relative to the larger of 1
// and the value; every other row is a copy or σ times a float32 normal, a product of two float32 numbers that both
// sides round once, so it is compared exactly.
import { tf } from '../core/tensor'
import { recoInputs, referenceLines, type RecoInputs } from '../muography/fit'
import type { StackInputs, StackPanels } from '../muography/hits'
import type { PanelLayout } from '../muography/panel-material'
import type { MuonTracks } from '../muography/types'
import { compare, type OutputCheck } from './check-compare'
import { recoInputsGpu, type SimBuffers } from './reco-inputs'

/** a few float32 roundings of a slope and a point from it */
const LINES_REL = 1e-6

interface Draws { noise: Float32Array; present: Float32Array; kicks: Float32Array }

function tensors(r: RecoInputs): { lines: tf.Tensor[]; alive: tf.Tensor; stacks: tf.Tensor[] } {
  const L = (l: RecoInputs['lineIn']) => [l.x, l.y, l.tx, l.ty]
  const S = (s: StackInputs) => [s.noiseX, s.noiseY, s.fired!, s.kicks!.x, s.kicks!.y]
  return { lines: [...L(r.lineIn), ...L(r.lineOut)], alive: r.alive, stacks: [...S(r.above), ...S(r.below)] }
}

const STACK_ROWS = ['noise x', 'noise y', 'fired', 'kicks x', 'kicks y']

export async function recoInputOutputs(
  device: GPUDevice, src: SimBuffers, tracks: MuonTracks, draws: Draws, panels: StackPanels, layout: PanelLayout, zIn: number, zOut: number,
): Promise<OutputCheck[]> {
  const gpu = recoInputsGpu(device, src, tracks.n, panels, layout, zIn, zOut)
  const cpu = recoInputs(referenceLines(tracks, zIn, zOut), panels, draws.noise, { present: draws.present, kicks: { layout, kicks: draws.kicks } })
  const [g, c] = [tensors(gpu), tensors(cpu)]
  const read = (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array))
  const [gl, cl, ga, ca, gs, cs] = await Promise.all([read(g.lines), read(c.lines), read([g.alive]), read([c.alive]), read(g.stacks), read(c.stacks)])
  let lineError = 0
  gl.forEach((col, k) => col.forEach((v, i) => { lineError = Math.max(lineError, Math.abs(v - cl[k][i]) / Math.max(1, Math.abs(cl[k][i]))) }))
  const stackRows = STACK_ROWS.map((name, r) => {
    const worst = [r, r + STACK_ROWS.length].map((q) => compare(name, gs[q], cs[q], 'absolute', 0))
    return worst[0].maxError >= worst[1].maxError ? worst[0] : worst[1]
  })
  tf.dispose([...g.lines, g.alive, ...g.stacks, ...c.lines, c.alive, ...c.stacks])
  return [
    { name: 'reco lines', maxError: Number.isNaN(lineError) ? Infinity : lineError, tolerance: LINES_REL, scale: 'relative' },
    compare('reco alive', ga[0], ca[0], 'absolute', 0),
    ...stackRows.map((o) => ({ ...o, name: `reco ${o.name}` })),
  ]
}
