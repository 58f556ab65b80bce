/**
 * Stable Diffusion over onnxruntime-web. `ort.ts` is the only module that imports
 * onnxruntime-web; everything else is plain TypeScript and runs with any `InferenceBackend`.
 * Browser-only helpers (OPFS model store, picked folders, GPU facts) are in `./browser/`.
 */
export type { InferenceBackend, IoInfo, ModelSession, SessionRequest } from './backend'
export { createOrtBackend, type OrtBackendOptions } from './ort'
export { loadModel, type DiffusionModel } from './model'
export { generate, type GenerateOptions, type GenerateResult, type ModelSlot } from './pipeline'
export { releaseSessions, type LoadProgress } from './sessions'
export { SCHEDULER_KINDS, type SchedulerKind } from './schedulers'
export {
  folderSource,
  memorySource,
  MissingFileError,
  overlaySource,
  urlBaseSource,
  type ModelSource,
} from './source'
export { TINY_MODEL_ID, TINY_MODEL_WARNING, tinyModelSource } from './tiny-model'
export { ClipTokenizer } from './tokenizer'
export { resolveModelSource } from './resolve'
export {
  findManifest,
  MANIFESTS,
  planDownload,
  type DownloadPlan,
  type GpuFacts,
  type ModelManifest,
} from './manifests'
