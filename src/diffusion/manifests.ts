import dreamshaper8 from '../../models/manifests/dreamshaper-8.json'
import lcm from '../../models/manifests/lcm-dreamshaper-v7.json'
import lcmFp32 from '../../models/manifests/lcm-dreamshaper-v7-fp32.json'
import sd15 from '../../models/manifests/sd15.json'
import sd15Fp16 from '../../models/manifests/sd15-fp16.json'
import sdTurbo from '../../models/manifests/sd-turbo.json'
import type { SchedulerKind } from './schedulers'

/**
 * Known public models (models/manifests/*.json): where they live, what they weigh and what they
 * need, so the app can show sizes and check the GPU before a multi-gigabyte download.
 */
export interface ModelManifest {
  id: string
  name: string
  /** The diffusers ONNX layout lives under this URL (with a trailing slash). */
  baseUrl: string
  license: string
  precision: 'fp16' | 'fp32'
  /** fp16 weights: WebGPU needs the adapter's `shader-f16`, otherwise WASM runs it. */
  needsShaderF16: boolean
  /** Whether it fits a browser at all (fp32 SD 1.5's 3.4 GB UNet does not). */
  browser: boolean
  notes: string
  scheduler: SchedulerKind
  steps: number
  guidance: number
  files: { path: string; bytes: number; approximate?: boolean }[]
}

export const MANIFESTS: readonly ModelManifest[] = [
  sd15,
  sdTurbo,
  lcm,
  sd15Fp16,
  dreamshaper8,
  lcmFp32,
] as ModelManifest[]

export function findManifest(id: string): ModelManifest | undefined {
  return MANIFESTS.find((m) => m.id === id)
}

export interface GpuFacts {
  webgpu: boolean
  shaderF16: boolean
  /** The adapter's maxBufferSize in bytes, when known. */
  maxBufferBytes?: number
  /** navigator.deviceMemory (GB, rounded down, at most 8), when known. */
  deviceMemoryGb?: number
}

export interface DownloadPlan {
  totalBytes: number
  /** The largest single file: it must fit one ArrayBuffer (about 2 GB in Chrome). */
  largestBytes: number
  provider: 'webgpu' | 'wasm'
  warnings: string[]
}

const GB = 1024 ** 3

/** What downloading and running a manifest's model here would mean, before doing it. */
export function planDownload(manifest: ModelManifest, gpu: GpuFacts, img2img = true): DownloadPlan {
  const files = manifest.files.filter((f) => img2img || !f.path.startsWith('vae_encoder/'))
  const totalBytes = files.reduce((n, f) => n + f.bytes, 0)
  const largestBytes = Math.max(...files.map((f) => f.bytes))
  const warnings: string[] = []
  let provider: DownloadPlan['provider'] = 'webgpu'
  if (!manifest.browser) {
    warnings.push(`${manifest.name} does not fit in a browser: ${manifest.notes}`)
  }
  if (!gpu.webgpu) {
    provider = 'wasm'
    warnings.push('No WebGPU here: it would run on the CPU (WASM), minutes per image.')
  } else if (manifest.needsShaderF16 && !gpu.shaderF16) {
    provider = 'wasm'
    warnings.push(
      'This fp16 model needs the GPU feature shader-f16, which this GPU lacks: it would run on the CPU (WASM).',
    )
  }
  if (largestBytes > 2 * GB) {
    // Sizes in words are decimal GB, as the model pages and models/README.md give them.
    const gb = (largestBytes / 1e9).toFixed(1)
    warnings.push(`One file is ${gb} GB: more than a browser can hold.`)
  }
  if (
    provider === 'webgpu' &&
    gpu.maxBufferBytes !== undefined &&
    gpu.maxBufferBytes < 256 * 1024 ** 2
  ) {
    const mb = Math.round(gpu.maxBufferBytes / 1024 ** 2)
    warnings.push(
      `This GPU allows buffers of only ${mb} MB; the UNet's larger tensors may not fit.`,
    )
  }
  // navigator.deviceMemory is rounded down and capped at 8 GB: warn only when clearly short.
  if (
    gpu.deviceMemoryGb !== undefined &&
    gpu.deviceMemoryGb < 8 &&
    gpu.deviceMemoryGb * GB < 1.5 * totalBytes
  ) {
    warnings.push(
      `This device reports ${gpu.deviceMemoryGb} GB of memory for a ${(totalBytes / 1e9).toFixed(1)} GB model.`,
    )
  }
  return { totalBytes, largestBytes, provider, warnings }
}
