// Shared by the calorimeter tests: backend set-up, preset loading and small designs.
import type { CalorimeterDesign } from '../design/calorimeter'
import { formatErrors, parseDesign } from '../design/parse'

/** a shipped preset from public/presets (Node only; node:fs is imported by name so that this file, which the app
 *  type-check sees, needs no Node types) */
export async function loadPreset(name: string): Promise<CalorimeterDesign> {
  const fsName = 'node:fs'
  const fs = (await import(/* @vite-ignore */ fsName)) as { readFileSync(p: URL, enc: 'utf8'): string }
  return caloDesign(JSON.parse(fs.readFileSync(new URL(`../../../public/presets/${name}.json`, import.meta.url), 'utf8')))
}

export function caloDesign(raw: unknown): CalorimeterDesign {
  const r = parseDesign(raw)
  if (!r.ok) throw new Error(formatErrors(r.errors))
  if (r.design.kind !== 'calorimeter') throw new Error('not a calorimeter design')
  return r.design
}

/** a small design for tests: layers [{repeat, absorber, dp, active, da}] */
export function smallDesign(
  layers: { repeat: number; absorber: string; absorber_thickness: number; active: string; active_thickness: number }[],
  extra: { energies?: number[]; showers?: number; max_depth?: number | null; transverse?: number; optimizer?: Record<string, unknown>; noise?: number; seed?: number } = {},
): CalorimeterDesign {
  return caloDesign({
    format: 'detector-design-studio', version: 1, kind: 'calorimeter', name: 'test stack', seed: extra.seed ?? 1,
    units: { length: 'm', energy: 'GeV' },
    beam: { particle: 'e-', energies: extra.energies ?? [2, 10, 50], showers_per_energy: extra.showers ?? 2000 },
    calorimeter: { transverse_size: extra.transverse ?? 0.4, layers, noise_gev_per_layer: extra.noise ?? 0 },
    constraints: { max_depth: extra.max_depth ?? null },
    optimizer: extra.optimizer ?? {},
  })
}
