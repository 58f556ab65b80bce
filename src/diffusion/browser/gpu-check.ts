import type { GpuFacts } from '../manifests'

/**
 * What this browser's GPU offers, for `planDownload` before a download: WebGPU at all,
 * `shader-f16` (fp16 models need it; SwiftShader lacks it), and the largest buffer.
 */
export async function gpuFacts(): Promise<GpuFacts> {
  const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory
  const base = { deviceMemoryGb: typeof deviceMemory === 'number' ? deviceMemory : undefined }
  if (!('gpu' in navigator) || !navigator.gpu) return { ...base, webgpu: false, shaderF16: false }
  const adapter = await navigator.gpu.requestAdapter().catch(() => null)
  if (!adapter) return { ...base, webgpu: false, shaderF16: false }
  return {
    ...base,
    webgpu: true,
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferBytes: adapter.limits.maxBufferSize,
  }
}
