/**
 * How GPU code tells the runtime which onnxruntime-web execution provider actually ran.
 *
 * Deliberately import-free, so src/diffusion can call `reportExecutionProvider` without
 * depending on the rest of the runtime. In the GPU worker the report travels to the main
 * thread (see gpu-host.ts); in the CLI and in Node tests nothing listens and the call only
 * records the last report.
 */

export type ExecutionProvider = 'webgpu' | 'wasm'

export interface ProviderReport {
  provider: ExecutionProvider
  /** What ran (e.g. 'unet'), when a pipeline holds several sessions. */
  model?: string
  /** Why this provider, e.g. "no WebGPU adapter" or "adapter lacks shader-f16". */
  reason?: string
}

let lastReport: ProviderReport | undefined
let listener: ((report: ProviderReport) => void) | undefined

export function reportExecutionProvider(report: ProviderReport): void {
  lastReport = report
  listener?.(report)
}

export function lastExecutionProvider(): ProviderReport | undefined {
  return lastReport
}

/** Installed by the GPU worker host; one listener is all there is. */
export function onExecutionProvider(callback: (report: ProviderReport) => void): void {
  listener = callback
}

/**
 * The provider GPU code should use: 'auto' (WebGPU on a hardware adapter that can run the model,
 * else WASM), or either one forced by the editor's `?gpu=wasm` / `?gpu=webgpu`: to compare
 * results, to avoid a misbehaving GPU, or to run on a software adapter anyway. The GPU worker
 * sets it before any job runs (see gpu.worker.ts).
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
