// The detector's per-muon draws: the hit noise is standard normal, each panel registers the share of muons its
// efficiency says, each kick is Highland's θ0 for the panel (at the muon's incidence and momentum on that side of
// the volume) times a standard normal, and zero where the panel has no material or the muon stopped; a muon's draws
// do not depend on the range it was drawn in, and giving the panels material leaves the noise and the efficiency
// draws as they were.
import { describe, expect, test } from 'vitest'
import { detectorRange } from './detector-draws'
import { generateMuons } from './flux'
import { highlandTheta0 } from './highland'
import type { PanelLayout } from './panel-material'
import { propagate } from './propagate'
import { simOutputs, TRACK_KEYS } from './sim-blocks'
import { buildVolume } from './volume'

const n = 20_000
// two panels above (2 % X0 and none), two below (1 % and 3 % X0)
const layout: PanelLayout = {
  z: Float64Array.of(1.5, 1.4, 0.1, 0), stack: Int32Array.of(0, 0, 1, 1), thickness: Float64Array.of(0.02, 0, 0.01, 0.03),
  sensitivity: Float64Array.of(-0.5, 0.5, 0.5, -0.5), sign: new Int8Array(16),
}
const efficiency = Float64Array.of(0.9, 0.5, 1, 0.2)
const P = 4
// 60 cm of lead: a share of the muons stops and has no momentum below
const vol = buildVolume({ origin: [0, 0, 0.2], size: [1, 1, 0.6], voxel: 0.1, background: 'lead', blocks: [] })
const mu = generateMuons({ n, model: 'guan', area: { x0: 0, x1: 1, y0: 0, y1: 1 }, z: 0.8, seed: 4 })
const tracks = propagate(vol, mu, { seed: 4 }, { energyLoss: true })

function draw(kicks: boolean, seed = 9, ranges: [number, number][] = [[0, n]]) {
  const job = { n, seed, layout, efficiency, kicks }
  const out = simOutputs(job)
  for (const k of TRACK_KEYS) out.tracks[k].set(tracks[k])
  out.pAbove.set(mu.p)
  for (const [a, b] of ranges) detectorRange({ ...job, out }, a, b)
  return out
}

/** mean and variance of values */
function moments(v: ArrayLike<number>): [number, number] {
  let s = 0, s2 = 0
  for (let i = 0; i < v.length; i++) { s += v[i]; s2 += v[i] * v[i] }
  const m = s / v.length
  return [m, s2 / v.length - m * m]
}

describe('detector draws', () => {
  const out = draw(true)

  test('the hit noise is standard normal (mean and variance within 4σ of 0 and 1)', () => {
    const [m, v] = moments(out.noise)
    const N = out.noise.length
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(N))
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / N))
  })

  test('each panel registers its efficiency\'s share of the muons (within 4σ of the binomial)', () => {
    for (let k = 0; k < P; k++) {
      let hits = 0
      for (let i = 0; i < n; i++) hits += out.present[i * P + k]
      const e = efficiency[k], sd = Math.sqrt((e * (1 - e)) / n)
      if (e === 1) expect(hits).toBe(n)
      else expect(Math.abs(hits / n - e), `panel ${k}`).toBeLessThan(4 * sd)
    }
  })

  test('each kick is Highland\'s θ0 of its panel times a standard normal, and zero without material or momentum', () => {
    const pulls: number[] = []
    let stopped = 0
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < P; k++) {
        const above = layout.stack[k] === 0
        const p = above ? mu.p[i] : tracks.pOut[i]
        const cos = Math.max(0.05, Math.abs(above ? tracks.uzin[i] : tracks.uzout[i]))
        const th = layout.thickness[k] > 0 && p > 0 ? highlandTheta0(layout.thickness[k] / cos, 1, p) : 0
        for (const q of [0, 1]) {
          const kick = out.kicks[2 * (i * P + k) + q]
          if (th === 0) expect(Math.abs(kick)).toBe(0)
          else pulls.push(kick / th)
        }
      }
      if (!(tracks.pOut[i] > 0)) stopped++
    }
    expect(stopped).toBeGreaterThan(0.05 * n)
    const [m, v] = moments(pulls)
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(pulls.length))
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / pulls.length))
  })

  test('a muon\'s draws are the same whatever range draws them; another seed gives others', () => {
    const split = draw(true, 9, [[0, 777], [777, 12_345], [12_345, n]])
    for (const k of ['noise', 'present', 'kicks'] as const) expect(Array.from(split[k]), k).toEqual(Array.from(out[k]))
    const other = draw(true, 10)
    let same = 0
    for (let i = 0; i < out.noise.length; i++) if (other.noise[i] === out.noise[i]) same++
    expect(same).toBeLessThan(10)
  })

  test('panels without material: no kicks, and the noise and efficiency draws unchanged', () => {
    const bare = draw(false)
    expect(bare.kicks.length).toBe(0)
    expect(Array.from(bare.noise)).toEqual(Array.from(out.noise))
    expect(Array.from(bare.present)).toEqual(Array.from(out.present))
  })
})
