import type { Tensor } from './tensor'

/**
 * What the pipeline needs from an inference runtime. `ort.ts` implements it over
 * onnxruntime-web; tests may implement it with plain functions. Nothing else in src/diffusion
 * knows which runtime runs the models.
 */

/** One input or output of a loaded model, as its metadata declares it. */
export interface IoInfo {
  name: string
  /** 'float32', 'float16', 'int32', 'int64', … as onnxruntime names element types. */
  type: string
  /**
   * Dimensions: a number when fixed, a string when symbolic ('batch'). An empty array is a
   * scalar (rank 0) — or, for some runtimes, an unknown shape.
   */
  shape: readonly (number | string)[]
}

export interface ModelSession {
  readonly inputs: readonly IoInfo[]
  readonly outputs: readonly IoInfo[]
  /** The execution provider that runs this session: 'wasm', 'webgpu', … */
  readonly provider: string
  /** Why that provider: 'WebGPU', 'the GPU lacks shader-f16…'. */
  readonly providerNote: string
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>
  release(): Promise<void>
}

export interface ExternalDataFile {
  /** The location string stored in the model (e.g. 'weights.pb', 'model.onnx_data'). */
  path: string
  data: Uint8Array
}

export interface SessionRequest {
  /** The file it came from, for messages ('unet/model.onnx'). */
  name: string
  bytes: Uint8Array
  externalData: ExternalDataFile[]
  /** The model holds float16 weights: on WebGPU it needs the `shader-f16` feature. */
  usesFloat16: boolean
}

export interface InferenceBackend {
  /** Short description for logs: 'onnxruntime-web 1.30 (wasm)'. */
  readonly name: string
  createSession(request: SessionRequest): Promise<ModelSession>
}
