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
 * The provider GPU code should use: 'auto' (WebGPU where it works, else WASM) or 'wasm' forced,
 * e.g. by the editor's `?gpu=wasm` flag to compare results or to avoid a misbehaving GPU. The
 * GPU worker sets it before any job runs (see gpu.worker.ts).
 */
export type ProviderPreference = 'auto' | 'wasm'

let preference: ProviderPreference = 'auto'

export function preferExecutionProvider(value: ProviderPreference): void {
  preference = value
}

export function preferredExecutionProvider(): ProviderPreference {
  return preference
}
