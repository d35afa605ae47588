// Parse and validate a design file. Every problem comes back with the JSON path of the offending field;
// nothing throws for bad input.
import type { z } from 'zod'
import { FORMAT } from './common'
import { checkJsonValue, describeValue, readJsonText } from './json-guard'
import { panelRanges } from '../muography/bounds'
import { migrate } from './migrations'
import { designSchema, type Design, type MuographyDesign } from './schema'

export interface DesignError {
  /** JSON path, e.g. "detector.panels[2].span_x"; "" for the whole file */
  path: string
  message: string
}

export type ParseResult = { ok: true; design: Design } | { ok: false; errors: DesignError[] }

/** largest voxel grid we accept (memory: a few floats per voxel and a sparse path matrix) */
export const MAX_VOXELS = 1_000_000

export function formatPath(path: readonly PropertyKey[]): string {
  let s = ''
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`
    else s += s ? `.${String(p)}` : String(p)
  }
  return s
}

function zodErrors(err: z.ZodError): DesignError[] {
  return err.issues.flatMap((iss): DesignError[] => {
    // one error per unknown field, at the field's own path
    if (iss.code === 'unrecognized_keys') {
      return iss.keys.map((k) => ({ path: formatPath([...iss.path, k]), message: `unknown field "${k}"` }))
    }
    return [{ path: formatPath(iss.path), message: iss.message }]
  })
}

/** checks that need more than one field */
function crossChecks(d: Design): DesignError[] {
  const errs: DesignError[] = []
  if (d.kind === 'muography') errs.push(...muographyChecks(d))
  return errs
}

export function voxelGrid(v: MuographyDesign['volume']): [number, number, number] {
  return v.size.map((s) => Math.round(s / v.voxel)) as [number, number, number]
}

function muographyChecks(d: MuographyDesign): DesignError[] {
  const errs: DesignError[] = []
  const { volume, detector, simulation } = d
  const grid = voxelGrid(volume)
  grid.forEach((n, i) => {
    if (n < 1 || Math.abs(n * volume.voxel - volume.size[i]) > 1e-6 * Math.max(1, volume.size[i])) {
      errs.push({ path: `volume.size[${i}]`, message: `size ${volume.size[i]} m is not a whole number of ${volume.voxel} m voxels` })
    }
  })
  const nvox = grid[0] * grid[1] * grid[2]
  if (nvox > MAX_VOXELS) {
    errs.push({ path: 'volume.voxel', message: `grid of ${grid.join('×')} = ${nvox} voxels exceeds the limit of ${MAX_VOXELS}` })
  }
  if (volume.voxels && volume.voxels.length !== nvox) {
    errs.push({ path: 'volume.voxels', message: `expected ${nvox} entries (${grid.join('×')}), got ${volume.voxels.length}` })
  }
  volume.blocks.forEach((b, i) => {
    let ordered = true
    for (let k = 0; k < 3; k++) {
      if (!(b.min[k] < b.max[k])) {
        ordered = false
        errs.push({ path: `volume.blocks[${i}].max[${k}]`, message: `max must be greater than min (${b.min[k]})` })
      }
    }
    // a block wholly outside the volume would silently simulate nothing
    const outside = [0, 1, 2].some((k) => b.max[k] <= volume.origin[k] || b.min[k] >= volume.origin[k] + volume.size[k])
    if (ordered && outside) {
      const box = (v: readonly number[]) => `[${v.join(', ')}]`
      const far = volume.origin.map((o, k) => o + volume.size[k])
      errs.push({ path: `volume.blocks[${i}]`, message: `the block ${box(b.min)}–${box(b.max)} m does not overlap the volume ${box(volume.origin)}–${box(far)} m` })
    }
  })
  const top = volume.origin[2] + volume.size[2]
  const bottom = volume.origin[2]
  for (const name of ['above', 'below'] as const) {
    const s = detector.stacks[name]
    if (!(s.z_min < s.z_max)) errs.push({ path: `detector.stacks.${name}.z_max`, message: `z_max must be greater than z_min (${s.z_min})` })
  }
  if (detector.stacks.above.z_min < top) {
    errs.push({ path: 'detector.stacks.above.z_min', message: `the upper stack must start at or above the volume top (z = ${top} m)` })
  }
  if (detector.stacks.below.z_max > bottom) {
    errs.push({ path: 'detector.stacks.below.z_max', message: `the lower stack must end at or below the volume bottom (z = ${bottom} m)` })
  }
  const ids = new Set<string>()
  const counts = { above: 0, below: 0 }
  detector.panels.forEach((p, i) => {
    if (ids.has(p.id)) errs.push({ path: `detector.panels[${i}].id`, message: `duplicate panel id "${p.id}"` })
    ids.add(p.id)
    counts[p.stack]++
    const s = detector.stacks[p.stack]
    if (p.z < s.z_min || p.z > s.z_max) {
      errs.push({ path: `detector.panels[${i}].z`, message: `z = ${p.z} m is outside the ${p.stack} stack [${s.z_min}, ${s.z_max}] m` })
    }
    // the optimiser keeps every parameter within panelRanges (muography/bounds.ts); a file outside them would be
    // silently clamped, so it is an error here
    const { margin, span_min } = d.optimizer
    const r = panelRanges(d, p.stack)
    for (const k of ['x', 'y'] as const) {
      const [lo, hi] = r[k]
      if (p[k] < lo - 1e-9 || p[k] > hi + 1e-9) {
        errs.push({ path: `detector.panels[${i}].${k}`, message: `${k} = ${p[k]} m is more than optimizer.margin (${margin} m) outside the volume: allowed [${lo}, ${hi}] m` })
      }
    }
    for (const k of ['span_x', 'span_y'] as const) {
      const [lo, hi] = r[k]
      if (p[k] < lo - 1e-9) {
        errs.push({ path: `detector.panels[${i}].${k}`, message: `${k} = ${p[k]} m is below optimizer.span_min (${span_min} m)` })
      } else if (p[k] > hi + 1e-9) {
        errs.push({ path: `detector.panels[${i}].${k}`, message: `${k} = ${p[k]} m is wider than the volume plus optimizer.margin on both sides (${hi} m)` })
      }
    }
  })
  for (const name of ['above', 'below'] as const) {
    if (counts[name] < 2) errs.push({ path: 'detector.panels', message: `the ${name} stack needs at least 2 panels to fit a track (has ${counts[name]})` })
  }
  if (!(simulation.energy_min_gev < simulation.energy_max_gev)) {
    errs.push({ path: 'simulation.energy_max_gev', message: `must be greater than energy_min_gev (${simulation.energy_min_gev})` })
  }
  return errs
}

/** the kinds of design file, in the order the error message lists them */
export const DESIGN_KINDS = designSchema.options.map((o) => o.shape.kind.value)

/**
 * Validate an already-parsed JSON value. Order: structure (prototype keys, non-finite numbers, sizes: json-guard.ts),
 * format tag, version (migrations.ts), kind, schema, cross-field checks; the first stage that fails reports.
 */
export function parseDesign(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', message: 'a design file must be a JSON object' }] }
  }
  const structural = checkJsonValue(input)
  if (structural.length) return { ok: false, errors: structural }
  const obj = input as Record<string, unknown>
  if (obj.format !== FORMAT) {
    return {
      ok: false,
      errors: [{ path: 'format', message: `not a Detector Design Studio design: expected "${FORMAT}", got ${describeValue(obj.format)}` }],
    }
  }
  const migrated = migrate(obj)
  if (!migrated.ok) return migrated
  const kind = migrated.value.kind
  if (typeof kind !== 'string' || !(DESIGN_KINDS as readonly string[]).includes(kind)) {
    return {
      ok: false,
      errors: [{ path: 'kind', message: `unknown kind ${describeValue(kind, '(missing)')}; expected one of: ${DESIGN_KINDS.join(', ')}` }],
    }
  }
  const r = designSchema.safeParse(migrated.value)
  if (!r.success) return { ok: false, errors: zodErrors(r.error) }
  const cross = crossChecks(r.data)
  if (cross.length) return { ok: false, errors: cross }
  return { ok: true, design: r.data }
}

/**
 * Parse JSON text with every import guard (size, nesting, syntax, then parseDesign). The same function as
 * importDesignText in ./import.ts, which is the entry point to use.
 */
export function parseDesignText(text: string): ParseResult {
  const read = readJsonText(text)
  return read.ok ? parseDesign(read.value) : read
}

export function formatErrors(errors: DesignError[]): string {
  return errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('\n')
}
