/**
 * Which onnxruntime-web execution provider diffusion sessions use, and how to tell a software
 * WebGPU adapter from a hardware one. Where each network really ran is not told through any
 * module-level hook: a node puts it on its result with `ctx.report` (run-report.ts), and the
 * editor and the CLI read it there.
 */

export type ExecutionProvider = 'webgpu' | 'wasm'

/**
 * The provider GPU code should use: 'auto' (WebGPU on a hardware adapter that can run the model,
 * else WASM), or either one forced by the editor's `?gpu=wasm` / `?gpu=webgpu`: to compare
 * results, to avoid a misbehaving GPU, or to run on a software adapter anyway. The GPU worker
 * sets it before any job runs (see src/runtime/gpu.worker.ts).
 */
export type ProviderPreference = 'auto' | 'wasm' | 'webgpu'

let preference: ProviderPreference = 'auto'

export function preferExecutionProvider(value: ProviderPreference): void {
  preference = value
}

export function preferredExecutionProvider(): ProviderPreference {
  return preference
}

export interface AdapterInfoLike {
  readonly vendor?: string
  readonly architecture?: string
  readonly device?: string
  readonly description?: string
  readonly isFallbackAdapter?: boolean
}

/**
 * Whether the adapter is the CPU pretending to be a GPU: the browser says so
 * (`isFallbackAdapter`), or its info names SwiftShader (Chromium's software Vulkan, what
 * headless Chromium offers under --enable-unsafe-webgpu; the flag alone is not relied on),
 * llvmpipe or lavapipe. Returns its name, or undefined for a hardware adapter.
 */
export function softwareAdapterName(adapter: {
  info?: AdapterInfoLike
  isFallbackAdapter?: boolean
}): string | undefined {
  const info = adapter.info
  const text = [info?.vendor, info?.architecture, info?.device, info?.description]
    .filter(Boolean)
    .join(' ')
    .toLowerCase()
  const known = ['swiftshader', 'llvmpipe', 'lavapipe'].find((name) => text.includes(name))
  if (known) return known === 'swiftshader' ? 'SwiftShader' : known
  if (info?.isFallbackAdapter || adapter.isFallbackAdapter) return "the browser's fallback adapter"
  return undefined
}
