import { describe, expect, test } from 'vitest'
import { buildPaths, pocaOfLines, type LinePair } from './paths'
import { buildVolume } from './volume'

describe('path tracing', () => {
  // a 3 × 3 × 3 grid of 10 cm voxels with its corner at the origin; the lines' reference planes are its faces
  const vol = buildVolume({ origin: [0, 0, 0], size: [0.3, 0.3, 0.3], voxel: 0.1, background: 'iron', blocks: [] })
  const lines = (rows: [number, number, number, number, number, number, number, number][]): LinePair => {
    const col = (k: number) => Float64Array.from(rows, (r) => r[k])
    return { n: rows.length, zIn: 0.3, zOut: 0, inX: col(0), inY: col(1), inTx: col(2), inTy: col(3), outX: col(4), outY: col(5), outTx: col(6), outTy: col(7) }
  }

  test('a vertical line through voxel centres crosses the column, 10 cm per voxel; a line outside the grid crosses nothing', () => {
    const p = buildPaths(vol, lines([[0.15, 0.25, 0, 0, 0.15, 0.25, 0, 0], [0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0]]))
    expect(Array.from(p.muon)).toEqual([0, 0, 0])
    // (ix, iy) = (1, 2); iz from the top down: 2, 1, 0
    expect(Array.from(p.voxel)).toEqual([1 + 3 * (2 + 3 * 2), 1 + 3 * (2 + 3 * 1), 1 + 3 * 2])
    for (const l of p.length) expect(l).toBeCloseTo(0.1, 6)
    expect(p.total[0]).toBeCloseTo(0.3, 6)
    expect(p.total[1]).toBe(0)
  })

  test('a straight slanted line: the lengths add up to its chord through the grid, split at the faces it crosses', () => {
    // x from 0.05 at the top to 0.25 at the bottom (slope −2/3 in z), y fixed at 0.15: voxels (0..2, 1, iz)
    const tx = (0.05 - 0.25) / 0.3
    const p = buildPaths(vol, lines([[0.05, 0.15, tx, 0, 0.25, 0.15, tx, 0]]))
    const chord = 0.3 * Math.hypot(tx, 1)
    expect(p.total[0]).toBeCloseTo(chord, 6)
    expect(Array.from(p.length).reduce((a, b) => a + b, 0)).toBeCloseTo(chord, 6)
    // it enters at x = 0.05 (ix 0) and leaves at x = 0.25 (ix 2), crossing x = 0.1 at z = 0.225 and x = 0.2 at z = 0.075
    const ix = Array.from(p.voxel, (v) => v % 3), iz = Array.from(p.voxel, (v) => Math.floor(v / 9))
    expect(ix).toEqual([0, 1, 1, 1, 2])
    expect(iz).toEqual([2, 2, 1, 0, 0])
    const perDz = Math.hypot(tx, 1)
    expect(p.length[0]).toBeCloseTo(0.075 * perDz, 6)
    expect(p.length[2]).toBeCloseTo(0.1 * perDz, 6)
  })

  test('a kinked path bends at the point of closest approach of its two lines', () => {
    // in through (0.05, 0.15) at the top going straight down, out at (0.25, 0.15) at the bottom from (0.05, 0.15) at z = 0.15
    const k = pocaOfLines([0.05, 0.15, 0.3], [0, 0, 1], [0.25, 0.15, 0], [(0.05 - 0.25) / 0.15, 0, 1])
    expect(k[0]).toBeCloseTo(0.05, 9)
    expect(k[2]).toBeCloseTo(0.15, 9)
    const p = buildPaths(vol, lines([[0.05, 0.15, 0, 0, 0.25, 0.15, (0.05 - 0.25) / 0.15, 0]]))
    expect(p.total[0]).toBeCloseTo(0.15 + Math.hypot(0.2, 0.15), 6)
  })
})
