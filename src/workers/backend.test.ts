// selectBackend in Node: no GPU backend starts here, so the measurement keeps wasm; the calibration is stubbed
// (its figures come back in the attempts) and a forced backend skips it.
import { resolve } from 'node:path'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, test } from 'vitest'
import { calibrationStep, selectBackend } from './backend'

// the module points tfjs at the bundled .wasm URLs of the browser build; in Node they are files
beforeAll(() => {
  const file = (f: string) => resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist', f)
  setWasmPaths(Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [f, file(f)])))
})

describe('selectBackend', () => {
  test('automatic: each backend that starts is calibrated; the fastest correct one is active', async () => {
    let calls = 0
    const info = await selectBackend({ timeoutMs: 5000 }, async () => { calls++; return { ms: 12.5, loss: 0.8 } })
    const started = info.attempts.filter((a) => a.stepMs !== undefined)
    expect(calls).toBe(started.length)
    expect(started.map((a) => a.name)).toContain('wasm')
    expect(info.forced).toBe(false)
    expect(info.name).toBe('wasm')
    expect(info.attempts.find((a) => a.name === 'wasm')).toMatchObject({ ok: true, stepMs: 12.5, loss: 0.8 })
  })

  test('a calibration that throws rules its backend out, with the reason', async () => {
    await expect(selectBackend({ timeoutMs: 5000 }, async () => { throw new Error('boom') }))
      .resolves.toMatchObject({ name: 'cpu', attempts: expect.arrayContaining([expect.objectContaining({ name: 'wasm', ok: false, note: 'calibration step failed: boom' })]) })
  })

  test('forced: no calibration', async () => {
    const info = await selectBackend({ backend: 'wasm', timeoutMs: 5000 }, async () => { throw new Error('must not run') })
    expect(info).toMatchObject({ name: 'wasm', forced: true })
    expect(info.attempts).toHaveLength(1)
  })

  test('the real calibration step (a 5000-muon optimisation step) on wasm: a time and the loss of its first step', async () => {
    await selectBackend({ backend: 'wasm' })
    const c = await calibrationStep()
    expect(c.ms).toBeGreaterThan(0)
    expect(Number.isFinite(c.loss) && c.loss > 0).toBe(true)
  })
})
