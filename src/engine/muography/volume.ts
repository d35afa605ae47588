// The passive volume as a voxel grid (design file `volume`, docs/design-file.md). No tfjs here: the UI imports this module.
// Voxel index = ix + nx·(iy + ny·iz), iz = 0 at the bottom. The grid starts from the explicit `voxels` list when
// given, else from the background; then the blocks are painted in order, a voxel taking a block's material when
// its centre lies inside the box (min ≤ centre < max on each axis).
import { dedxMin_GeV_m, MATERIALS, type MaterialName } from '../core/materials'
import type { MuographyDesign } from '../design/schema'
import type { VoxelVolume } from './types'

type DesignVolume = MuographyDesign['volume']
export type VolumeSpec = Pick<DesignVolume, 'origin' | 'size' | 'voxel' | 'background' | 'voxels'> & { blocks?: DesignVolume['blocks'] }

/** tolerance, in voxels, for a block edge that falls exactly on a voxel centre */
const EDGE_EPS = 1e-9

/** indices [lo, hi) along one axis whose voxel centres lie in [min, max) */
function centreRange(o: number, h: number, n: number, min: number, max: number): [number, number] {
  const lo = Math.max(0, Math.ceil((min - o) / h - 0.5 - EDGE_EPS))
  const hi = Math.min(n, Math.ceil((max - o) / h - 0.5 - EDGE_EPS))
  return [lo, Math.max(lo, hi)]
}

export function buildVolume(v: VolumeSpec): VoxelVolume {
  const h = v.voxel
  const [nx, ny, nz] = v.size.map((s) => Math.max(1, Math.round(s / h)))
  const nv = nx * ny * nz
  const palette: MaterialName[] = []
  const slot = (name: MaterialName): number => {
    let k = palette.indexOf(name)
    if (k < 0) {
      if (palette.length === 256) throw new Error('more than 256 materials in one volume')
      palette.push(name)
      k = palette.length - 1
    }
    return k
  }
  const material = new Uint8Array(nv)
  if (v.voxels) {
    if (v.voxels.length !== nv) throw new Error(`volume.voxels has ${v.voxels.length} entries, expected ${nx}×${ny}×${nz} = ${nv}`)
    for (let i = 0; i < nv; i++) material[i] = slot(v.voxels[i])
  } else {
    material.fill(slot(v.background))
  }
  const [ox, oy, oz] = v.origin
  for (const b of v.blocks ?? []) {
    const [x0, x1] = centreRange(ox, h, nx, b.min[0], b.max[0])
    const [y0, y1] = centreRange(oy, h, ny, b.min[1], b.max[1])
    const [z0, z1] = centreRange(oz, h, nz, b.min[2], b.max[2])
    if (x0 === x1 || y0 === y1 || z0 === z1) continue // holds no voxel centre
    const k = slot(b.material)
    for (let iz = z0; iz < z1; iz++) for (let iy = y0; iy < y1; iy++) {
      const row = nx * (iy + ny * iz)
      material.fill(k, row + x0, row + x1)
    }
  }
  const x0 = new Float64Array(nv)
  const dedx = new Float64Array(nv)
  const x0Of = palette.map((m) => MATERIALS[m].x0_m)
  const dedxOf = palette.map((m) => dedxMin_GeV_m(MATERIALS[m]))
  for (let i = 0; i < nv; i++) {
    x0[i] = x0Of[material[i]]
    dedx[i] = dedxOf[material[i]]
  }
  return {
    origin: [ox, oy, oz],
    size: [v.size[0], v.size[1], v.size[2]],
    voxel: h, nx, ny, nz, palette, material, x0, dedx,
  }
}

/** Index of the voxel containing (x, y, z), or −1 outside the grid. */
export function voxelIndex(vol: VoxelVolume, x: number, y: number, z: number): number {
  const h = vol.voxel
  const ix = Math.floor((x - vol.origin[0]) / h)
  const iy = Math.floor((y - vol.origin[1]) / h)
  const iz = Math.floor((z - vol.origin[2]) / h)
  if (ix < 0 || iy < 0 || iz < 0 || ix >= vol.nx || iy >= vol.ny || iz >= vol.nz) return -1
  return ix + vol.nx * (iy + vol.ny * iz)
}

/** (ix, iy, iz) of a voxel index. */
export function voxelCoords(vol: VoxelVolume, i: number): [number, number, number] {
  const ix = i % vol.nx
  const r = (i - ix) / vol.nx
  const iy = r % vol.ny
  return [ix, iy, (r - iy) / vol.ny]
}

/** Centre of voxel i in metres. */
export function voxelCentre(vol: VoxelVolume, i: number): [number, number, number] {
  const [ix, iy, iz] = voxelCoords(vol, i)
  const h = vol.voxel
  return [vol.origin[0] + (ix + 0.5) * h, vol.origin[1] + (iy + 0.5) * h, vol.origin[2] + (iz + 0.5) * h]
}

/** Bounding box of the grid (size rounded to whole voxels). */
export function volumeBounds(vol: VoxelVolume): { min: [number, number, number]; max: [number, number, number] } {
  const h = vol.voxel
  const [ox, oy, oz] = vol.origin
  return { min: [ox, oy, oz], max: [ox + vol.nx * h, oy + vol.ny * h, oz + vol.nz * h] }
}
