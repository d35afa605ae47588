import { afterEach, describe, expect, it } from 'vitest'
import { installNodeWebGpu } from './node-webgpu'

const g = globalThis as { navigator?: unknown }
const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator')
afterEach(() => {
  if (had) Object.defineProperty(globalThis, 'navigator', had)
  else delete g.navigator
})

describe('WebGPU for the command line', () => {
  it('without Dawn\'s bindings says which package to install', async () => {
    if (had) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true })
    await expect(installNodeWebGpu('dds-no-such-package')).rejects.toThrow('npm install --no-save dds-no-such-package')
  })

  it('a runtime without a usable adapter is named as such, not left to fail later', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => null } }, configurable: true, writable: true })
    await expect(installNodeWebGpu()).rejects.toThrow(/no WebGPU adapter/)
  })
})
