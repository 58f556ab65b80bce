import { createOrtBackend } from '../diffusion/ort'
import { useInferenceBackend } from '../diffusion/shared-backend'

/**
 * Which onnxruntime the CLI's diffusion nodes run on (`--ort node|web`). Which provider each
 * diffusion node really used comes back on its result's report (`--report`'s provider).
 */

export type OrtChoice = 'node' | 'web'

/**
 * Installs the backend for `choice`: onnxruntime-node (all cores, CUDA where installed), or
 * onnxruntime-web's WASM. Without a choice, native where the package loads, else WASM with a
 * note. Returns the backend's name ('onnxruntime-node 1.30.0').
 */
export async function installInferenceBackend(
  choice: OrtChoice | undefined,
  note: (line: string) => void,
): Promise<string> {
  // Each render in a long-lived process (a farm worker) keeps the backend, and so its sessions.
  if (installed && installed.choice === (choice ?? 'default')) return installed.name
  const name = await chooseBackend(choice, note)
  installed = { choice: choice ?? 'default', name }
  return name
}

let installed: { choice: string; name: string } | undefined

async function chooseBackend(choice: OrtChoice | undefined, note: (line: string) => void) {
  if (choice !== 'web') {
    try {
      const { createOrtNodeBackend } = await import('../diffusion/node/ort-node')
      const backend = createOrtNodeBackend()
      useInferenceBackend(backend)
      return backend.name
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      if (choice === 'node')
        throw new Error(
          `--ort node: onnxruntime-node does not load here (${why}). ` +
            'Reinstall it (npm install) or use --ort web.',
        )
      note(`! onnxruntime-node does not load here (${why}); Stable Diffusion runs on WASM.`)
    }
  }
  const backend = createOrtBackend({ webgpu: false })
  useInferenceBackend(backend)
  return backend.name
}
