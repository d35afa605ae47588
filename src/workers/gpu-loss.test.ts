import { describe, expect, test } from 'vitest'
import { GPU_LOST_KEY, gpuFailure, isGpuLost, watchGpuLoss, type GpuLost } from './gpu-loss'

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('GPU device loss', () => {
  test('webgpu: a lost device is reported once with its message; our own destroy is not', async () => {
    const got: GpuLost[] = []
    let lose!: (i: { reason: string; message: string }) => void
    const device = { lost: new Promise<{ reason: string; message: string }>((r) => { lose = r }) }
    watchGpuLoss('webgpu', { device }, (m) => got.push(m))
    await flush()
    expect(got).toEqual([])
    lose({ reason: 'unknown', message: 'GPU process crashed' })
    await flush()
    expect(got).toEqual([{ [GPU_LOST_KEY]: { backend: 'webgpu', message: 'the WebGPU device was lost: GPU process crashed' } }])
    expect(isGpuLost(got[0])).toBe(true)

    const none: GpuLost[] = []
    watchGpuLoss('webgpu', { device: { lost: Promise.resolve({ reason: 'destroyed', message: '' }) } }, (m) => none.push(m))
    await flush()
    expect(none).toEqual([])
  })

  test('webgpu: an uncaptured device error or a WebGPU exception escaping tfjs counts as a loss, once', async () => {
    const got: GpuLost[] = []
    const device = Object.assign(new EventTarget(), { lost: new Promise<never>(() => {}) })
    const scope = new EventTarget()
    watchGpuLoss('webgpu', { device }, (m) => got.push(m), scope)
    const unrelated = Object.assign(new Event('unhandledrejection'), { reason: new Error('some other failure') })
    scope.dispatchEvent(unrelated)
    expect(got).toEqual([])
    const gpu = Object.assign(new Event('unhandledrejection'), { reason: new Error("Failed to execute 'createBuffer' on 'GPUDevice': createBuffer failed") })
    scope.dispatchEvent(gpu)
    device.dispatchEvent(Object.assign(new Event('uncapturederror'), { error: { message: 'out of memory' } }))
    expect(got.map((m) => m[GPU_LOST_KEY].message)).toEqual(["the WebGPU device failed: Failed to execute 'createBuffer' on 'GPUDevice': createBuffer failed"])
  })

  test('webgl: a lost context on the backend canvas is reported', () => {
    const got: GpuLost[] = []
    const canvas = new EventTarget()
    watchGpuLoss('webgl', { gpgpu: { gl: { canvas } } }, (m) => got.push(m))
    canvas.dispatchEvent(new Event('webglcontextlost'))
    expect(got.map((m) => m[GPU_LOST_KEY])).toEqual([{ backend: 'webgl', message: 'the WebGL context was lost' }])
  })

  test('a step that throws from the WebGPU API is a GPU failure; other exceptions and backends are not', () => {
    const e = new RangeError("Failed to execute 'createBuffer' on 'GPUDevice': createBuffer failed, size (128) is too large")
    expect(gpuFailure('webgpu', e)).toBe(`the WebGPU device failed: ${e.message}`)
    expect(gpuFailure('webgpu', new Error('simulated step failure'))).toBeNull()
    expect(gpuFailure('wasm', e)).toBeNull()
  })

  test('wasm and cpu have nothing to lose; other messages are not mistaken for a loss', () => {
    expect(() => watchGpuLoss('wasm', {}, () => { throw new Error('never') })).not.toThrow()
    expect(isGpuLost({ __ddsHeartbeat: 1 })).toBe(false)
    expect(isGpuLost(null)).toBe(false)
    expect(isGpuLost({ [GPU_LOST_KEY]: 'x' })).toBe(false)
  })
})
