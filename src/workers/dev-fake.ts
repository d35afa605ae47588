// DEVELOPMENT ONLY — remove when src/engine/session.ts lands. A stand-in session that drifts the panels
// randomly and a decaying fake loss, so the UI can be built against the Session interface.
import { MATERIALS, type MaterialName } from '../engine/core/materials'
import { createRng } from '../engine/core/rng'
import type { Design, MuographyDesign } from '../engine/design/schema'
import type { VoxelVolume } from '../engine/muography/types'
import type { PanelPatch, PanelState, Session, SessionConfigPatch, Snapshot, StepResult } from '../engine/session-types'

export function buildVolume(v: MuographyDesign['volume']): VoxelVolume {
  const [nx, ny, nz] = v.size.map((s) => Math.round(s / v.voxel))
  const palette: MaterialName[] = [v.background]
  const material = new Uint8Array(nx * ny * nz)
  for (const b of v.blocks) {
    let k = palette.indexOf(b.material)
    if (k < 0) { palette.push(b.material); k = palette.length - 1 }
    for (let iz = 0; iz < nz; iz++) for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) {
      const c = [v.origin[0] + (ix + 0.5) * v.voxel, v.origin[1] + (iy + 0.5) * v.voxel, v.origin[2] + (iz + 0.5) * v.voxel]
      if (c.every((ci, j) => ci >= b.min[j] && ci <= b.max[j])) material[ix + nx * (iy + ny * iz)] = k
    }
  }
  const x0 = Float64Array.from(material, (m) => MATERIALS[palette[m]].x0_m)
  return { origin: v.origin, size: v.size, voxel: v.voxel, nx, ny, nz, palette, material, x0, dedx: new Float64Array(x0.length) }
}

export async function createSession(design: Design, _opts?: { backend?: string }): Promise<Session> {
  void _opts
  if (design.kind !== 'muography') throw new Error('fake session: muography only')
  const d = structuredClone(design)
  const vol = buildVolume(d.volume)
  const rng = createRng(d.seed, 'design')
  let step = 0
  let best: Snapshot['best'] = null
  const panels: PanelState[] = d.detector.panels.map((p) => ({ id: p.id, stack: p.stack, x: p.x, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y }))
  let loss = 1
  const cost = () => panels.reduce((a, p) => a + p.span_x * p.span_y * d.detector.technology.cost_per_m2, 0)
  return {
    kind: 'muography',
    async step(): Promise<StepResult> {
      await new Promise((r) => setTimeout(r, 60))
      step++
      for (const p of panels) { p.x += 0.01 * rng.normal(); p.y += 0.01 * rng.normal() }
      loss = 0.2 + 0.8 * Math.exp(-step / 15) + 0.02 * rng.normal()
      const validation = step % d.optimizer.validation_every === 0 ? loss * 1.1 : null
      if (validation != null && (!best || validation < best.validation)) best = { step, validation }
      return { step, loss: { total: loss, parts: { task: loss * 0.8, cost: loss * 0.2 } }, skipped: false, validation }
    },
    async validate() { return loss },
    setPanels(patch: PanelPatch[]) { for (const q of patch) { const p = panels.find((pp) => pp.id === q.id); if (p) Object.assign(p, q) } },
    setConfig(_p: SessionConfigPatch) { void _p },
    snapshot(opts) {
      const k = opts?.tracks ?? 0
      const mk = () => new Float32Array(3 * k)
      const tracks = k ? { entry: mk(), exit: mk(), entryDir: mk(), exitDir: mk(), poca: mk() } : undefined
      if (tracks) {
        for (let i = 0; i < k; i++) {
          const x = d.volume.origin[0] + rng.uniform() * d.volume.size[0], y = d.volume.origin[1] + rng.uniform() * d.volume.size[1]
          const top = d.volume.origin[2] + d.volume.size[2]
          tracks.entry.set([x, y, top], 3 * i); tracks.entryDir.set([0.1, 0, -1], 3 * i)
          tracks.exit.set([x + 0.06, y, d.volume.origin[2]], 3 * i); tracks.exitDir.set([0.12, 0.02, -1], 3 * i)
          tracks.poca.set([x + 0.03, y, top - d.volume.size[2] / 2], 3 * i)
        }
      }
      return {
        kind: 'muography', step, loss: step ? { total: loss, parts: { task: loss * 0.8, cost: loss * 0.2 } } : null,
        validation: best?.validation ?? null, best, nanSteps: 0, clamped: false, cost: cost(), budget: d.optimizer.budget,
        panels: panels.map((p) => ({ ...p })),
        x0Pred: opts?.x0 ? Float32Array.from(vol.x0, (v) => v * (1 + 0.3 * Math.exp(-step / 20) * rng.normal())) : undefined,
        tracks,
      }
    },
    exportDesign(): Design {
      const out = structuredClone(d)
      out.detector.panels = out.detector.panels.map((p) => ({ ...p, ...panels.find((q) => q.id === p.id) }))
      return out
    },
    dispose() {},
  }
}
