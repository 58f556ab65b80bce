import type { InferenceBackend } from './backend'
import { createOrtBackend } from './ort'

/**
 * The one inference backend the diffusion nodes share in this worker or process, so a model's
 * sessions are created once and kept across nodes. onnxruntime-web by default (the browser's
 * GPU worker, Node tests); the CLI installs onnxruntime-node here before a run
 * (`src/diffusion/node/`, which the browser bundle never imports).
 */
let make: () => InferenceBackend = () => createOrtBackend()
let shared: InferenceBackend | undefined

export function sharedBackend(): InferenceBackend {
  return (shared ??= make())
}

/** Replaces the backend for every later run (sessions of the old one are no longer used). */
export function useInferenceBackend(backend: InferenceBackend | (() => InferenceBackend)): void {
  make = typeof backend === 'function' ? backend : () => backend
  shared = undefined
}
