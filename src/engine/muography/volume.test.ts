import { describe, expect, test } from 'vitest'
import { MATERIALS } from '../core/materials'
import { buildVolume, volumeBounds, voxelCentre, voxelCoords, voxelIndex } from './volume'

describe('buildVolume', () => {
  test('lead in beryllium: exactly the 50 voxels with ix, iy ≥ 5 and iz ∈ {1, 2} are lead', () => {
    const vol = buildVolume({
      origin: [0, 0, 0.2], size: [1, 1, 0.6], voxel: 0.1, background: 'beryllium',
      blocks: [{ material: 'lead', min: [0.5, 0.5, 0.3], max: [1.0, 1.0, 0.5] }],
    })
    expect([vol.nx, vol.ny, vol.nz]).toEqual([10, 10, 6])
    expect(vol.palette).toEqual(['beryllium', 'lead'])
    let lead = 0
    for (let iz = 0; iz < 6; iz++) for (let iy = 0; iy < 10; iy++) for (let ix = 0; ix < 10; ix++) {
      const i = ix + 10 * (iy + 10 * iz)
      const isLead = ix >= 5 && iy >= 5 && (iz === 1 || iz === 2)
      expect(vol.palette[vol.material[i]]).toBe(isLead ? 'lead' : 'beryllium')
      expect(vol.x0[i]).toBeCloseTo(isLead ? 0.005612 : 0.3528, 12)
      if (isLead) lead++
    }
    expect(lead).toBe(50)
  })

  test('blocks are painted in order (the later one wins) and clipped to the grid', () => {
    const vol = buildVolume({
      origin: [-1, -1, 0], size: [2, 2, 1], voxel: 0.5, background: 'air',
      blocks: [
        { material: 'iron', min: [-5, -5, -5], max: [0, 5, 5] },
        { material: 'uranium', min: [-1, -1, 0.5], max: [-0.5, -0.5, 1] }, // over the iron
        { material: 'lead', min: [-0.6, -0.6, 0.4], max: [-0.4, -0.4, 0.6] }, // contains no voxel centre
      ],
    })
    expect([vol.nx, vol.ny, vol.nz]).toEqual([4, 4, 2])
    const name = (x: number, y: number, z: number) => vol.palette[vol.material[voxelIndex(vol, x, y, z)]]
    expect(name(-0.75, 0.75, 0.25)).toBe('iron')
    expect(name(-0.25, -0.75, 0.25)).toBe('iron')
    expect(name(0.25, 0.25, 0.75)).toBe('air')
    expect(name(-0.75, -0.75, 0.75)).toBe('uranium')
    expect(name(-0.75, -0.75, 0.25)).toBe('iron')
    const count = (m: string) => Array.from(vol.material).filter((k) => vol.palette[k] === m).length
    expect([count('air'), count('iron'), count('uranium')]).toEqual([16, 15, 1])
    expect(vol.palette).toEqual(['air', 'iron', 'uranium'])
  })

  test('an explicit voxels list is read x fastest, then y, then z from the bottom', () => {
    const voxels = ['water', 'iron', 'lead', 'copper', 'air', 'air', 'air', 'tungsten'] as const
    const vol = buildVolume({ origin: [0, 0, 0], size: [0.2, 0.2, 0.2], voxel: 0.1, background: 'air', blocks: [], voxels: [...voxels] })
    const at = (ix: number, iy: number, iz: number) => vol.palette[vol.material[ix + 2 * (iy + 2 * iz)]]
    expect([at(0, 0, 0), at(1, 0, 0), at(0, 1, 0), at(1, 1, 0), at(1, 1, 1)]).toEqual(['water', 'iron', 'lead', 'copper', 'tungsten'])
    expect(vol.x0[7]).toBe(MATERIALS.tungsten.x0_m)
  })
})

describe('voxel helpers', () => {
  const vol = buildVolume({ origin: [0, 0, 0.2], size: [1, 1, 0.6], voxel: 0.1, background: 'beryllium', blocks: [] })

  test('voxelIndex and voxelCentre round-trip; outside points give −1', () => {
    for (const i of [0, 9, 10, 99, 100, 345, 599]) {
      const [x, y, z] = voxelCentre(vol, i)
      expect(voxelIndex(vol, x, y, z)).toBe(i)
      const [ix, iy, iz] = voxelCoords(vol, i)
      expect(ix + 10 * (iy + 10 * iz)).toBe(i)
    }
    expect(voxelCentre(vol, 0)).toEqual([0.05, 0.05, 0.25])
    expect(voxelIndex(vol, 0.5, 0.5, 0.1)).toBe(-1)
    expect(voxelIndex(vol, -0.01, 0.5, 0.5)).toBe(-1)
    expect(voxelIndex(vol, 0.5, 0.5, 0.85)).toBe(-1)
    const b = volumeBounds(vol)
    expect(b.min).toEqual([0, 0, 0.2])
    expect(b.max[2]).toBeCloseTo(0.8, 12)
  })
})
