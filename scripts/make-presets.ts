// Writes the muography presets in public/presets/ and their entries in public/presets/index.json:
// TomOpt's benchmark scenarios (TomOpt (G. C. Strong et al., arXiv:2309.14027), and the benchmarks in its repository) and one uniform volume per material. Random geometries
// (u-lorry, small-walls) come from seeded streams (createRng), so the output is the same on every run.
//
//   npx tsx scripts/make-presets.ts           write the files
//   npx tsx scripts/make-presets.ts --check   exit 1 if any file differs from what would be written
//
// index.json entries that this script did not make (the calorimeter presets) are kept as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MATERIAL_NAMES, MATERIALS, type MaterialName } from '../src/engine/core/materials'
import { createRng, type Rng } from '../src/engine/core/rng'
import { formatErrors, parseDesign } from '../src/engine/design/parse'
import type { PresetEntry } from '../src/engine/design/presets'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
export const PRESET_DIR = join(ROOT, 'public', 'presets')

type Vec3 = [number, number, number]
interface PanelSpec { id: string; stack: 'above' | 'below'; x: number; y: number; z: number; span_x: number; span_y: number }

export interface GeneratedPreset {
  entry: PresetEntry
  /** the design file as written */
  design: Record<string, unknown>
}

const header = (name: string, description: string, seed: number) => ({
  format: 'detector-design-studio',
  version: 1,
  kind: 'muography',
  name,
  description,
  seed,
  units: { length: 'm', energy: 'GeV' },
})

function panels(above: number[], below: number[], x: number, y: number, span: number): PanelSpec[] {
  return [
    ...above.map((z, i): PanelSpec => ({ id: `above-${i}`, stack: 'above', x, y, z, span_x: span, span_y: span })),
    ...below.map((z, i): PanelSpec => ({ id: `below-${i}`, stack: 'below', x, y, z, span_x: span, span_y: span })),
  ]
}

/** TomOpt's hello-world panel heights (its tutorial 01) */
const HELLO_ABOVE = [1.0, 0.95, 0.9, 0.85]
const HELLO_BELOW = [0.2, 0.15, 0.1, 0.05]
const HELLO_STACKS = { above: { z_min: 0.8, z_max: 1.2 }, below: { z_min: -0.2, z_max: 0.2 } }
const HELLO_VOLUME = { origin: [0, 0, 0.2] as Vec3, size: [1, 1, 0.6] as Vec3, voxel: 0.1 }
/** TomOpt's default panel: 1e4 m⁻¹ resolution (σ = 100 µm), 90 % efficiency, cost 1 per m² */
const TOMOPT_TECH = { name: 'TomOpt default panel', resolution: 1e-4, efficiency: 0.9, cost_per_m2: 1 }

// ---------------------------------------------------------------------------------------------- G.1
function leadInBeryllium(): GeneratedPreset {
  const description =
    "TomOpt's hello world (arXiv:2309.14027, tutorial 01): a 1 × 1 × 0.6 m beryllium volume (z 0.2–0.8 m, 10 cm voxels) with a " +
    '50 × 50 × 20 cm lead block in one corner (x, y 0.5–1 m, z 0.3–0.5 m). Four 1 × 1 m panels above (z 1.00–0.85 m) ' +
    'and four below (z 0.20–0.05 m), deliberately off-centre at (0.25, 0.25) m so the optimiser has something to do. ' +
    'Panels: 100 µm resolution, 90 % efficiency, cost 1 per m²; the eight panels cost 8, the budget is 20.'
  return {
    entry: { name: 'lead-in-beryllium', title: 'Lead block in beryllium (hello world)', kind: 'muography',
      description: "TomOpt's hello world: a lead block in a corner of a beryllium volume; 4+4 off-centre panels, budget 20." },
    design: {
      ...header('Lead block in beryllium', description, 42),
      volume: { ...HELLO_VOLUME, background: 'beryllium', blocks: [{ material: 'lead', min: [0.5, 0.5, 0.3], max: [1, 1, 0.5] }] },
      detector: { technology: TOMOPT_TECH, stacks: HELLO_STACKS, panels: panels(HELLO_ABOVE, HELLO_BELOW, 0.25, 0.25, 1) },
      optimizer: { budget: 20 },
    },
  }
}

// ---------------------------------------------------------------------------------------------- G.2
function ladleFurnace(): GeneratedPreset {
  const description =
    "TomOpt's ladle-furnace benchmark (arXiv:2309.14027): a 1 × 1 m ladle, ten 10 cm layers (z 0.4–1.4 m). Steel walls " +
    '(the outer ring of voxels in every layer) and a steel floor (z 0.4–0.5 m); hot liquid steel fills it up to a fill ' +
    'level of z = 0.9 m (TomOpt draws the fill level between z = 0.6 and 1.3 m; here it is 0.4 m above the floor), ' +
    'then 10 cm of slag (z 0.9–1.0 m) and air above. The detector is TomOpt\'s deliberately poor starting point: ' +
    'four panels bunched at z 1.48–1.45 m and four at 0.35–0.32 m, centred on the ladle\'s corner (0, 0), ' +
    'each 0.866 × 0.866 m (0.75 m²), so the eight cost the whole budget of 6.'
  return {
    entry: { name: 'ladle-furnace', title: 'Ladle furnace (fill level)', kind: 'muography',
      description: 'A steel ladle with liquid steel, slag and air; a deliberately poor starting detector at its corner, budget 6.' },
    design: {
      ...header('Ladle furnace', description, 7),
      volume: {
        origin: [0, 0, 0.4], size: [1, 1, 1], voxel: 0.1, background: 'steel',
        blocks: [
          { material: 'liquid-steel', min: [0.1, 0.1, 0.5], max: [0.9, 0.9, 0.9] },
          { material: 'slag', min: [0.1, 0.1, 0.9], max: [0.9, 0.9, 1.0] },
          { material: 'air', min: [0.1, 0.1, 1.0], max: [0.9, 0.9, 1.4] },
        ],
      },
      detector: {
        technology: TOMOPT_TECH,
        stacks: { above: { z_min: 1.4, z_max: 1.9 }, below: { z_min: -0.1, z_max: 0.4 } },
        panels: panels([1.48, 1.47, 1.46, 1.45], [0.35, 0.34, 0.33, 0.32], 0, 0, 0.866),
      },
      optimizer: { budget: 6 },
    },
  }
}

// ---------------------------------------------------------------------------------------------- G.3
/** all box shapes of exactly n voxels that fit in (mx, my, mz) and are no longer than maxEdge along any axis */
function boxShapes(n: number, mx: number, my: number, mz: number, maxEdge: number): Vec3[] {
  const out: Vec3[] = []
  for (let a = 1; a <= Math.min(mx, maxEdge); a++) for (let b = 1; b <= Math.min(my, maxEdge); b++) {
    const c = n / (a * b)
    if (Number.isInteger(c) && c >= 1 && c <= Math.min(mz, maxEdge)) out.push([a, b, c])
  }
  return out
}

function uLorry(): GeneratedPreset {
  const seed = 3
  const rng = createRng(seed, 'preset:u-lorry')
  const [nx, ny, nz] = [10, 10, 6]
  // bottom layer: the lorry bed (iron); layers whose tops are within 80 % of the height: random air/iron cargo
  const fillTop = 0.8 * 0.6 // m above the volume bottom
  const cargoLayers = Math.floor(fillTop / 0.1 + 1e-9) // layers 1 .. cargoLayers-1 hold cargo
  const voxels: MaterialName[] = []
  for (let iz = 0; iz < nz; iz++) for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) {
    voxels.push(iz === 0 ? 'iron' : iz < cargoLayers ? (rng.uniform() < 0.5 ? 'air' : 'iron') : 'air')
  }
  // a uranium block of 0.012 m³ = 12 voxels, of random shape and position inside the cargo layers
  const shapes = boxShapes(12, nx, ny, cargoLayers - 1, 4)
  const [sx, sy, sz] = shapes[rng.int(shapes.length)]
  const x0 = rng.int(nx - sx + 1)
  const y0 = rng.int(ny - sy + 1)
  const z0 = 1 + rng.int(cargoLayers - 1 - sz + 1)
  for (let iz = z0; iz < z0 + sz; iz++) for (let iy = y0; iy < y0 + sy; iy++) for (let ix = x0; ix < x0 + sx; ix++) {
    voxels[ix + nx * (iy + ny * iz)] = 'uranium'
  }
  const r = (v: number) => Math.round(v * 1000) / 1000
  const description =
    "TomOpt's U-lorry benchmark (its tutorial 03) on the hello-world geometry (1 × 1 × 0.6 m, z 0.2–0.8 m, 10 cm " +
    `voxels): an iron lorry bed (bottom layer), cargo of random air and iron voxels up to 80 % of the height, air above, ` +
    `and a ${sx} × ${sy} × ${sz}-voxel uranium block (0.012 m³, 12 voxels) at x ${r(x0 * 0.1)}–${r((x0 + sx) * 0.1)} m, ` +
    `y ${r(y0 * 0.1)}–${r((y0 + sy) * 0.1)} m, z ${r(0.2 + z0 * 0.1)}–${r(0.2 + (z0 + sz) * 0.1)} m. Generated with seed ` +
    `${seed} by scripts/make-presets.ts. The panels start as in TomOpt's hello world, 1 × 1 m and off-centre at (0.25, 0.25) m, ` +
    'at the hello-world heights; the budget of 32 (8 panels × 4 m²) leaves room to grow.'
  return {
    entry: { name: 'u-lorry', title: 'Uranium in a lorry', kind: 'muography',
      description: 'A lorry bed with random iron/air cargo hiding a 12-voxel uranium block; 4+4 off-centre 1 × 1 m panels, budget 32.' },
    design: {
      ...header('Uranium in a lorry', description, seed),
      volume: { ...HELLO_VOLUME, background: 'air', blocks: [], voxels },
      detector: { technology: TOMOPT_TECH, stacks: HELLO_STACKS, panels: panels(HELLO_ABOVE, HELLO_BELOW, 0.25, 0.25, 1) },
      optimizer: { budget: 32 },
    },
  }
}

// ---------------------------------------------------------------------------------------------- G.4
/** Walls as random walks over the xy grid, each standing from a common ground level up to its own height. */
function randomWalls(rng: Rng, n: number): { wall: Uint8Array; walls: number; ground: number } {
  const wall = new Uint8Array(n * n * n) // index ix + n·(iy + n·iz)
  const at = (ix: number, iy: number, iz: number) => ix + n * (iy + n * iz)
  const columnHasWall = (ix: number, iy: number) => { for (let iz = 0; iz < n; iz++) if (wall[at(ix, iy, iz)]) return true; return false }
  const walls = 1 + rng.int(4)
  const ground = rng.int(Math.floor(n / 2))
  const minHeight = 3, minLength = 3, stopK = 10, turnK = 5
  for (let w = 0; w < walls; w++) {
    // the top layer stays soil
    const top = ground + minHeight + rng.int(Math.max(1, n - 1 - (ground + minHeight)))
    let x = rng.int(n), y = rng.int(n)
    // directions: 0 +y, 1 +x, 2 −y, 3 −x; a start on the border does not head straight out
    const dirs = [0, 1, 2, 3].filter((d) => !(d === 3 && x === 0) && !(d === 1 && x === n - 1) && !(d === 2 && y === 0) && !(d === 0 && y === n - 1))
    let dir = dirs[rng.int(dirs.length)]
    let length = 0, straight = 0
    for (;;) {
      if (columnHasWall(x, y)) break // met another wall (or itself)
      for (let iz = ground; iz < top; iz++) wall[at(x, y, iz)] = 1
      length++
      straight++
      if (length >= minLength && rng.uniform() < Math.exp(-stopK / length)) break
      if (rng.uniform() < Math.exp(-turnK / straight)) {
        straight = 0
        const side = rng.int(2)
        dir = dir === 1 || dir === 3 ? [0, 2][side] : [1, 3][side]
      }
      if (dir === 0) y++
      else if (dir === 1) x++
      else if (dir === 2) y--
      else x--
      if (x < 0 || y < 0 || x >= n || y >= n) break
    }
  }
  return { wall, walls, ground }
}

function smallWalls(): GeneratedPreset {
  const seed = 11
  const n = 10
  const { wall, walls, ground } = randomWalls(createRng(seed, 'preset:small-walls'), n)
  const voxels: MaterialName[] = Array.from(wall, (w) => (w ? 'wall-mix' : 'soil'))
  const count = wall.reduce((a, w) => a + w, 0)
  const description =
    "TomOpt's small-walls benchmark (benchmarks/small_walls in its repository): a 10 × 10 × 10 m block of soil (1 m voxels, z 1–11 m) with " +
    `${walls} buried wall${walls > 1 ? 's' : ''} (${count} voxels of an oxide mixture) drawn as random walks from z = ${1 + ground} m, ` +
    `generated with seed ${seed} by scripts/make-presets.ts. Four panels above (z 12–11.25 m) and four below ` +
    '(z 1–0.25 m) in 1 m slabs, 8 × 8 m each and off-centre at (2.5, 2.5) m so that the optimiser has work to do ' +
    '(TomOpt uses 40 m spans); 100 µm resolution, 100 % efficiency; budget 3200 (8 panels of 20 × 20 m). Learning rates and step ' +
    'limits are scaled up tenfold for the 10 m scale.'
  return {
    entry: { name: 'small-walls', title: 'Buried walls in soil (10 m)', kind: 'muography',
      description: 'Random-walk walls buried in a 10 × 10 × 10 m block of soil (1 m voxels); 4+4 off-centre 8 × 8 m panels, budget 3200.' },
    design: {
      ...header('Buried walls in soil', description, seed),
      volume: { origin: [0, 0, 1], size: [10, 10, 10], voxel: 1, background: 'soil', blocks: [], voxels },
      detector: {
        technology: { name: 'TomOpt small-walls panel', resolution: 1e-4, efficiency: 1, cost_per_m2: 1 },
        stacks: { above: { z_min: 11, z_max: 12 }, below: { z_min: 0, z_max: 1 } },
        panels: panels([12, 11.75, 11.5, 11.25], [1, 0.75, 0.5, 0.25], 2.5, 2.5, 8),
      },
      optimizer: {
        budget: 3200,
        learning_rates: { xy: 0.2, z: 0.1, span: 0.2 },
        max_change: 0.5,
        span_min: 1,
        margin: 5,
      },
    },
  }
}

// ---------------------------------------------------------------------------------------------- uniform
/** "Lead tungstate (PbWO4)" → "lead tungstate (PbWO4)": lower-case the first letter only */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

function uniform(material: MaterialName): GeneratedPreset {
  const label = lowerFirst(MATERIALS[material].label)
  const x0 = MATERIALS[material].x0_m
  const x0Text = x0 >= 1 ? `${x0.toPrecision(4)} m` : `${(x0 * 100).toPrecision(4)} cm`
  const description =
    `A 1 × 1 × 0.6 m volume (z 0.2–0.8 m, 10 cm voxels) made entirely of ${label} (X0 = ${x0Text}), ` +
    'with four centred 1 × 1 m panels above and four below at the hello-world heights. For calibrating the X0 ' +
    'inference against a known answer and for teaching.'
  return {
    entry: { name: `uniform-${material}`, title: `Uniform ${label}`, kind: 'muography',
      description: `1 × 1 × 0.6 m of ${label} only (X0 = ${x0Text}); 4+4 centred panels.` },
    design: {
      ...header(`Uniform ${label}`, description, 1),
      volume: { ...HELLO_VOLUME, background: material, blocks: [] },
      detector: { technology: TOMOPT_TECH, stacks: HELLO_STACKS, panels: panels(HELLO_ABOVE, HELLO_BELOW, 0.5, 0.5, 1) },
    },
  }
}

/** The four TomOpt scenarios, in the order the studio lists them (the default first). */
export function scenarioPresets(): GeneratedPreset[] {
  return [leadInBeryllium(), ladleFurnace(), uLorry(), smallWalls()]
}

export function uniformPresets(): GeneratedPreset[] {
  return MATERIAL_NAMES.map(uniform)
}

export function buildPresets(): GeneratedPreset[] {
  return [...scenarioPresets(), ...uniformPresets()]
}

// ---------------------------------------------------------------------------------------------- output
const isPrimitive = (v: unknown) => v === null || typeof v !== 'object'

/**
 * JSON that a person can read: short objects and arrays of numbers on one line, `voxels` one x-row per line,
 * everything else indented by two spaces.
 */
export function formatJson(value: unknown, rowLength = 0, indent = '', key = ''): string {
  const inner = indent + '  '
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    if (value.every(isPrimitive)) {
      if (key === 'voxels' && rowLength > 0) {
        const rows: string[] = []
        for (let i = 0; i < value.length; i += rowLength) rows.push(value.slice(i, i + rowLength).map((v) => JSON.stringify(v)).join(', '))
        return `[\n${rows.map((r) => inner + r).join(',\n')}\n${indent}]`
      }
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`
    }
    return `[\n${value.map((v) => inner + formatJson(v, rowLength, inner)).join(',\n')}\n${indent}]`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}'
    const oneLine = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${formatJson(v, rowLength, inner, k)}`).join(', ')} }`
    if (!oneLine.includes('\n') && indent.length + oneLine.length <= 120) return oneLine
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, rowLength, inner, k)}`).join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value)
}

/** the text of one preset file; fails loudly if the design does not pass the schema */
export function presetText(p: GeneratedPreset): string {
  const r = parseDesign(p.design)
  if (!r.ok) throw new Error(`preset ${p.entry.name} is invalid:\n${formatErrors(r.errors)}`)
  const volume = p.design.volume as { size: number[]; voxel: number }
  return formatJson(p.design, Math.round(volume.size[0] / volume.voxel)) + '\n'
}

/**
 * The entries of index.json. A fresh list is our scenarios, then the uniform volumes. An existing list keeps its
 * order and every entry made elsewhere (the calorimeter presets); ours are updated in place, new ones appended,
 * and uniform-* entries for materials that no longer exist dropped.
 */
export function indexEntries(presets: GeneratedPreset[], existing: PresetEntry[]): PresetEntry[] {
  const ours = new Map(presets.map((p) => [p.entry.name, p.entry]))
  const kept = existing
    .filter((e) => ours.has(e.name) || !e.name.startsWith('uniform-'))
    .map((e) => ours.get(e.name) ?? e)
  const present = new Set(kept.map((e) => e.name))
  return [...kept, ...presets.map((p) => p.entry).filter((e) => !present.has(e.name))]
}

export function indexText(entries: PresetEntry[]): string {
  return `[\n${entries.map((e) => '  ' + JSON.stringify(e)).join(',\n')}\n]\n`
}

export function readIndex(dir = PRESET_DIR): PresetEntry[] {
  const path = join(dir, 'index.json')
  if (!existsSync(path)) return []
  const list = JSON.parse(readFileSync(path, 'utf8')) as unknown
  if (!Array.isArray(list)) throw new Error(`${path} is not a JSON array`)
  return list as PresetEntry[]
}

function main(argv: string[]): number {
  const check = argv.includes('--check')
  const presets = buildPresets()
  const files: [string, string][] = presets.map((p) => [join(PRESET_DIR, `${p.entry.name}.json`), presetText(p)])
  let stale = 0
  for (const [path, text] of files) {
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null
    if (old === text) continue
    stale++
    if (check) process.stderr.write(`out of date: ${path}\n`)
    else writeFileSync(path, text)
  }
  // index.json is shared with hand-written presets: compare contents, and leave its layout alone when they agree
  const existing = readIndex()
  const entries = indexEntries(presets, existing)
  if (JSON.stringify(entries) !== JSON.stringify(existing)) {
    stale++
    const path = join(PRESET_DIR, 'index.json')
    if (check) process.stderr.write(`out of date: ${path}\n`)
    else writeFileSync(path, indexText(entries))
  }
  if (check) {
    process.stderr.write(stale ? `${stale} preset file(s) out of date: run npx tsx scripts/make-presets.ts\n` : 'presets up to date\n')
    return stale ? 1 : 0
  }
  process.stderr.write(`wrote ${stale} of ${files.length + 1} files in ${PRESET_DIR}\n`)
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
