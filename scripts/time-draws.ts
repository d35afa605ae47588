// Micro-timing of the random-number loops alone (not a test): muon generation and the calorimeter's shower draws,
// one thread, the median of several repeats, in CPU time of this process (less disturbed by other work on a
// shared machine than wall time). `npx tsx scripts/time-draws.ts`
import { drawShowers } from '../src/engine/calorimeter/draws'
import { generateMuons } from '../src/engine/muography/flux'

function median(f: () => void, reps = 9): number {
  f()
  const t: number[] = []
  for (let r = 0; r < reps; r++) {
    const t0 = process.cpuUsage()
    f()
    const d = process.cpuUsage(t0)
    t.push((d.user + d.system) / 1000)
  }
  return t.sort((a, b) => a - b)[reps >> 1]
}

const MUONS = 100_000, SHOWERS = 20_000, LAYERS = 30
const area = { x0: -1, x1: 1, y0: -1, y1: 1 }
const gen = median(() => { generateMuons({ n: MUONS, model: 'guan', area, z: 1, seed: 1 }) })
const draw = median(() => { drawShowers([1, 2, 3, 4], 'showers', SHOWERS / 4, LAYERS, true) })
console.log(`muon generation: ${gen.toFixed(1)} ms per ${MUONS} muons (${(MUONS / gen / 1000).toFixed(2)} M muons/s)`)
console.log(`shower draws: ${draw.toFixed(1)} ms per ${SHOWERS} showers × ${LAYERS} layers (${(SHOWERS / draw / 1000).toFixed(2)} M showers/s)`)
