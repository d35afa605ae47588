// WebGPU for the command line: Dawn's Node bindings (the npm package `webgpu`, installed on demand, not a
// dependency: most machines that run the CLI have no GPU) put in place as navigator.gpu before tfjs's webgpu
// backend is loaded, since that backend registers itself only where navigator.gpu exists. The same WebGPU
// implementation as Chrome's, so `bench --backend webgpu` gives a GPU's figures without a browser.

const PACKAGE = 'webgpu'

interface DawnModule { create(flags: string[]): GpuLike; globals: Record<string, unknown> }
interface GpuLike { requestAdapter(o?: object): Promise<{ info?: { vendor?: string; architecture?: string; description?: string; device?: string } } | null> }

/** installs navigator.gpu (if the runtime has none, from `pkg`) and the tfjs webgpu backend; returns the adapter's
 *  description */
export async function installNodeWebGpu(pkg = PACKAGE): Promise<string> {
  const g = globalThis as { navigator?: { gpu?: GpuLike } }
  if (!g.navigator?.gpu) {
    let dawn: DawnModule
    try {
      // a variable specifier: the package is optional, so neither the type check nor the bundler may require it
      dawn = (await import(pkg)) as DawnModule
    } catch {
      throw new Error(`the webgpu backend in Node needs Dawn's Node bindings: npm install --no-save ${pkg}`)
    }
    Object.assign(globalThis, dawn.globals)
    const gpu = dawn.create([])
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true })
    else g.navigator = { gpu }
  }
  const adapter = await g.navigator!.gpu!.requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) throw new Error('no WebGPU adapter: this machine has no GPU that Dawn can use (Vulkan, Metal or D3D12)')
  await import('@tensorflow/tfjs-backend-webgpu')
  const i = adapter.info ?? {}
  return [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' ') || 'unnamed adapter'
}
