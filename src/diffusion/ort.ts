/**
 * The one module that imports onnxruntime-web (transformers.js keeps the same single seam).
 * It turns model bytes into `ModelSession`s and chooses the execution provider:
 *
 * - Node (tests, CLI, bench): the WASM provider.
 * - Browser/worker: WebGPU when a hardware adapter exists — and, for models with float16
 *   weights, when the adapter has `shader-f16` (without it ORT's WebGPU build returns wrong
 *   numbers or throws, see shared/design/browser-and-gpu.md) — otherwise WASM. A software
 *   adapter (SwiftShader, `isFallbackAdapter`) counts as none: it runs the tiny model about 20×
 *   slower than WASM on the same CPU (64×64, 4 steps: 382 ms against 19 ms). `?gpu=webgpu`
 *   uses it anyway. WebGPU is tried alone first, so the session knows which provider really
 *   runs it (ORT's ['webgpu', 'wasm'] list would fall back silently).
 */
import * as ort from 'onnxruntime-web'
import { preferredExecutionProvider, softwareAdapterName, type AdapterInfoLike } from './provider'
import type { InferenceBackend, IoInfo, ModelSession, SessionRequest } from './backend'
import { isTensorType, type Tensor } from './tensor'

export interface OrtBackendOptions {
  /**
   * Try WebGPU where it exists. False forces WASM, e.g. to compare results. Default: the
   * runtime's preference (`preferExecutionProvider`, the editor's `?gpu=wasm`), read when each
   * session is created.
   */
  webgpu?: boolean
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string'

ort.env.logLevel = 'error'

export function createOrtBackend(options: OrtBackendOptions = {}): InferenceBackend {
  const wantGpu = () => !isNode && (options.webgpu ?? preferredExecutionProvider() !== 'wasm')
  return {
    name: `onnxruntime-web ${ort.env.versions.web ?? ''}`.trim(),
    createSession: (request) => createSession(request, wantGpu()),
  }
}

async function createSession(request: SessionRequest, wantGpu: boolean): Promise<ModelSession> {
  const preference = preferredExecutionProvider()
  let note = isNode
    ? 'Node: WASM'
    : preference === 'wasm'
      ? 'WASM chosen (?gpu=wasm)'
      : 'WebGPU not requested'
  if (wantGpu) {
    const gpu = await gpuVerdict(browserGpu(), request.usesFloat16, preference === 'webgpu')
    note = gpu.reason
    if (gpu.ok) {
      try {
        return wrap(await open(request, 'webgpu'), 'webgpu', 'WebGPU')
      } catch (error) {
        note = `WebGPU failed (${error instanceof Error ? error.message : String(error)})`
      }
    }
  }
  return wrap(await open(request, 'wasm'), 'wasm', note)
}

/** The part of the browser's `navigator.gpu` that the provider choice asks. */
export interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>
}

/** The part of a `GPUAdapter` that the provider choice reads. */
export interface AdapterLike {
  readonly features: { has(feature: string): boolean }
  readonly info?: AdapterInfoLike
  /** Older Chromium put it on the adapter itself. */
  readonly isFallbackAdapter?: boolean
}

export interface GpuVerdict {
  ok: boolean
  /** Said to the person: which provider and why ('the GPU lacks shader-f16, …'). */
  reason: string
}

/**
 * Whether a network may run on WebGPU, from what the browser offers: `gpu` undefined where the
 * browser has no WebGPU, `adapter` null where it gave no adapter. Networks with float16 weights
 * need `shader-f16`: without it ORT's WebGPU kernels return wrong numbers or throw.
 */
export function webGpuVerdict(
  gpu: GpuLike | undefined,
  adapter: AdapterLike | null,
  usesFloat16: boolean,
  forced = false,
): GpuVerdict {
  if (!gpu) return { ok: false, reason: 'no WebGPU in this browser' }
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter' }
  if (usesFloat16 && !adapter.features.has('shader-f16')) {
    return { ok: false, reason: 'the GPU lacks shader-f16, which this fp16 model needs' }
  }
  const software = softwareAdapterName(adapter)
  if (software && !forced) {
    return {
      ok: false,
      reason: `WebGPU here is ${software}, a software renderer: WASM is faster on this CPU`,
    }
  }
  if (forced)
    return { ok: true, reason: `WebGPU chosen (?gpu=webgpu${software ? `, on ${software}` : ''})` }
  return { ok: true, reason: 'WebGPU' }
}

/** Asks `gpu` for an adapter (a refusal counts as none) and judges it by `webGpuVerdict`. */
export async function gpuVerdict(
  gpu: GpuLike | undefined,
  usesFloat16: boolean,
  forced = false,
): Promise<GpuVerdict> {
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null
  return webGpuVerdict(gpu, adapter, usesFloat16, forced)
}

function browserGpu(): GpuLike | undefined {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu
    ? navigator.gpu
    : undefined
}

function open(request: SessionRequest, provider: 'webgpu' | 'wasm') {
  return ort.InferenceSession.create(request.bytes, {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // Errors only: ORT's native warnings (e.g. shape ops placed on the CPU) go to console.error.
    logSeverityLevel: 3,
    externalData: request.externalData.map((file) => ({ path: file.path, data: file.data })),
  })
}

function info(meta: ort.InferenceSession.ValueMetadata): IoInfo {
  return meta.isTensor
    ? { name: meta.name, type: meta.type, shape: meta.shape }
    : { name: meta.name, type: 'non-tensor', shape: [] }
}

/** The Tensor class of an onnxruntime package (web and node share onnxruntime-common's). */
export type OrtTensorClass = typeof ort.Tensor

function toOrt(tensor: Tensor, TensorClass: OrtTensorClass): ort.Tensor {
  return new TensorClass(tensor.type, tensor.data, tensor.dims)
}

function fromOrt(name: string, value: ort.OnnxValue): Tensor {
  const tensor = value
  const type = tensor.type
  if (!isTensorType(type)) throw new Error(`Output "${name}" has unsupported type ${type}`)
  const data = tensor.data
  const dims = tensor.dims
  switch (type) {
    case 'float32':
      return { type, dims, data: data as Float32Array }
    case 'float16': {
      // Float16Array where the platform has it, Uint16Array otherwise: keep the bits either way.
      const view = data as ArrayBufferView & { length: number }
      return { type, dims, data: new Uint16Array(view.buffer, view.byteOffset, view.length) }
    }
    case 'int32':
      return { type, dims, data: data as Int32Array }
    case 'int64':
      return { type, dims, data: data as BigInt64Array }
  }
}

function wrap(session: ort.InferenceSession, provider: string, note: string): ModelSession {
  return wrapOrtSession(session, ort.Tensor, provider, note)
}

/**
 * A `ModelSession` over an onnxruntime session, of this package or of onnxruntime-node (the
 * CLI's native backend, src/diffusion/node/), which share onnxruntime-common's API.
 */
export function wrapOrtSession(
  session: ort.InferenceSession,
  TensorClass: OrtTensorClass,
  provider: string,
  note: string,
): ModelSession {
  return {
    inputs: session.inputMetadata.map(info),
    outputs: session.outputMetadata.map(info),
    provider,
    providerNote: note,
    async run(feeds) {
      const ortFeeds: Record<string, ort.Tensor> = {}
      for (const [name, tensor] of Object.entries(feeds))
        ortFeeds[name] = toOrt(tensor, TensorClass)
      const results = await session.run(ortFeeds)
      const out: Record<string, Tensor> = {}
      for (const [name, value] of Object.entries(results)) out[name] = fromOrt(name, value)
      return out
    },
    release: () => session.release(),
  }
}
