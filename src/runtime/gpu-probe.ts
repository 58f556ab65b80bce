import { softwareAdapterName } from '../diffusion/provider'

/** What WebGPU this browser offers; the GPU status line and the diffusion code's choice. */
export interface WebGpuSupport {
  /** 'none': no navigator.gpu or no adapter (Chromium without --enable-unsafe-webgpu). */
  adapter: 'available' | 'none'
  /** fp16 models need it; SwiftShader lacks it (see docs: wrong numbers without it). */
  shaderF16: boolean
  /** Vendor and architecture as the adapter reports them, e.g. "google swiftshader". */
  description?: string
  /** The adapter is the CPU in disguise (SwiftShader…): GPU nodes then run on WASM. */
  software?: string
  /** Why there is no adapter, when there is none. */
  reason?: string
}

/** Asks for an adapter (main thread or worker alike); never throws. */
export async function probeWebGpu(): Promise<WebGpuSupport> {
  const gpu = typeof navigator === 'undefined' ? undefined : navigator.gpu
  if (!gpu) return { adapter: 'none', shaderF16: false, reason: 'This browser has no WebGPU.' }
  try {
    const adapter = await gpu.requestAdapter()
    if (!adapter) {
      return { adapter: 'none', shaderF16: false, reason: 'WebGPU offers no adapter here.' }
    }
    const { vendor, architecture } = adapter.info
    const description = [vendor, architecture].filter(Boolean).join(' ') || undefined
    return {
      adapter: 'available',
      shaderF16: adapter.features.has('shader-f16'),
      description,
      software: softwareAdapterName(adapter),
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { adapter: 'none', shaderF16: false, reason }
  }
}
