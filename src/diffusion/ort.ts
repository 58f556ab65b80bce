/**
 * The one module that imports onnxruntime-web (transformers.js keeps the same single seam).
 * It turns model bytes into `ModelSession`s and chooses the execution provider:
 *
 * - Node (tests, CLI, bench): the WASM provider.
 * - Browser/worker: WebGPU when an adapter exists — and, for models with float16 weights, when
 *   the adapter has `shader-f16` (without it ORT's WebGPU build returns wrong numbers or throws,
 *   see shared/design/browser-and-gpu.md) — otherwise WASM. WebGPU is tried alone first, so the
 *   session knows which provider really runs it (ORT's ['webgpu', 'wasm'] list would fall back
 *   silently).
 */
import * as ort from 'onnxruntime-web'
import { preferredExecutionProvider } from '../runtime/gpu-report'
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
  let note = isNode
    ? 'Node: WASM'
    : preferredExecutionProvider() === 'wasm'
      ? 'WASM chosen (?gpu=wasm)'
      : 'WebGPU not requested'
  if (wantGpu) {
    const gpu = await gpuVerdict(request.usesFloat16)
    note = gpu.reason
    if (gpu.ok) {
      try {
        return wrap(await open(request, 'webgpu'), 'webgpu', 'WebGPU')
      } catch (error) {
        note = `WebGPU failed (${error instanceof Error ? error.message : String(error)})`
      }
    }
  }
  return wrap(await open(request, 'wasm'), 'wasm', `${note}; running on WASM`)
}

async function gpuVerdict(usesFloat16: boolean): Promise<{ ok: boolean; reason: string }> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    return { ok: false, reason: 'no WebGPU in this browser' }
  }
  const adapter = await navigator.gpu.requestAdapter().catch(() => null)
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter' }
  if (usesFloat16 && !adapter.features.has('shader-f16')) {
    return { ok: false, reason: 'the GPU lacks shader-f16, which this fp16 model needs' }
  }
  return { ok: true, reason: 'WebGPU' }
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

function toOrt(tensor: Tensor): ort.Tensor {
  return new ort.Tensor(tensor.type, tensor.data, tensor.dims)
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
  return {
    inputs: session.inputMetadata.map(info),
    outputs: session.outputMetadata.map(info),
    provider,
    providerNote: note,
    async run(feeds) {
      const ortFeeds: Record<string, ort.Tensor> = {}
      for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrt(tensor)
      const results = await session.run(ortFeeds)
      const out: Record<string, Tensor> = {}
      for (const [name, value] of Object.entries(results)) out[name] = fromOrt(name, value)
      return out
    },
    release: () => session.release(),
  }
}
