// The block kernels a pool thread can run, by the name runBlocks() posts (parallel/blocks.ts).
import type { BlockKernel } from './blocks'
import { cellSumsBlock, cellSumsGradBlock } from '../calorimeter/cell-sums-blocks'
import { showerBlock } from '../calorimeter/draws'
import { crossingBlock, nearThresholdBlock } from '../muography/absorption-blocks'
import { emMuonBlock, emVoxelBlock, transposeCountBlock, transposeFillBlock } from '../muography/em-blocks'
import { fisherBlock } from '../muography/fisher-blocks'
import { momentumBlock } from '../muography/momentum-blocks'
import { packBlock, pathBlock } from '../muography/path-blocks'
import { simulateBlock } from '../muography/sim-blocks'

export const KERNELS: Record<string, BlockKernel<never>> = {
  simulate: simulateBlock,
  paths: pathBlock,
  pathsPack: packBlock,
  showers: showerBlock,
  'cell-sums': cellSumsBlock,
  'cell-sums-grad': cellSumsGradBlock,
  'em-muons': emMuonBlock,
  'em-voxels': emVoxelBlock,
  'em-count': transposeCountBlock,
  'em-fill': transposeFillBlock,
  momentum: momentumBlock,
  crossing: crossingBlock,
  'near-threshold': nearThresholdBlock,
  fisher: fisherBlock,
}
