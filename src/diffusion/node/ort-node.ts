/**
 * Native inference for the CLI and Node: onnxruntime-node behind the same `InferenceBackend`
 * seam as onnxruntime-web (ort.ts). Node only — the browser bundle never imports this folder
 * (the CLI loads it with a dynamic import, so a platform without the native binding falls back
 * to WASM).
 *
 * Providers: CUDA when onnxruntime-node's CUDA libraries are installed (they are not by default:
 * see README "Native inference and CUDA") and a session opens on it; otherwise the CPU provider on
 * all cores. WASM in Node runs one thread, so the CPU provider is several times faster even on
 * two cores (`npm run bench -- ort`).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { InferenceBackend, ModelSession, SessionRequest } from '../backend'
import { wrapOrtSession } from '../ort'

export interface NodeBackendOptions {
  /** CPU threads per session (default: every core; lower it when several workers share a machine). */
  threads?: number
  /** Try CUDA where its libraries are installed (default true). */
  cuda?: boolean
}

/** Where onnxruntime-node keeps its native libraries for this platform. */
function bindingFolder(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json')
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch)
}

/** Whether onnxruntime-node's CUDA provider library was installed (ONNXRUNTIME_NODE_INSTALL=cuda12). */
export function cudaInstalled(): boolean {
  const file =
    process.platform === 'win32'
      ? 'onnxruntime_providers_cuda.dll'
      : 'libonnxruntime_providers_cuda.so'
  return existsSync(join(bindingFolder(), file))
}

export function createOrtNodeBackend(options: NodeBackendOptions = {}): InferenceBackend {
  const threads = Math.max(1, options.threads ?? availableParallelism())
  // CUDA is tried until it fails once; then every later session goes to the CPU with that reason.
  let cudaProblem: string | undefined =
    options.cuda === false
      ? 'CUDA not requested'
      : cudaInstalled()
        ? undefined
        : "onnxruntime-node's CUDA libraries are not installed"
  return {
    name: `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim(),
    async createSession(request: SessionRequest): Promise<ModelSession> {
      if (cudaProblem === undefined) {
        try {
          const session = await open(request, 'cuda', threads)
          return wrapOrtSession(session, ort.Tensor, 'cuda (onnxruntime-node)', 'CUDA')
        } catch (error) {
          cudaProblem = `CUDA failed (${error instanceof Error ? error.message : String(error)})`
        }
      }
      const session = await open(request, 'cpu', threads)
      return wrapOrtSession(
        session,
        ort.Tensor,
        'cpu (onnxruntime-node)',
        `${cudaProblem}; running on the CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
      )
    },
  }
}

function open(request: SessionRequest, provider: 'cuda' | 'cpu', threads: number) {
  return ort.InferenceSession.create(request.bytes, {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    logSeverityLevel: 3,
    externalData: request.externalData.map((file) => ({ path: file.path, data: file.data })),
  })
}
