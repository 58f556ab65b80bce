import { allowModelDownload } from '../../diffusion/browser/model-permissions'
import { hasOpfs, storeUrlFile } from '../../diffusion/browser/model-store'
import { explainLoadError } from '../../diffusion/load-errors'
import { findManifest } from '../../diffusion/manifests'
import { readOnnxFacts } from '../../diffusion/onnx-proto'
import { isMissingFile } from '../../diffusion/source'
import { describeError, isCancelled } from '../../engine/errors'

/**
 * Downloads started from the model panel: every file of a model into the browser's private
 * storage (OPFS) before the node needs it, with progress and cancel. A cancelled or failed
 * download keeps what arrived; starting it again resumes each file with a Range request. The
 * GPU worker later reads the same files (and waits, through a Web Lock, for one still arriving).
 */

export interface DownloadState {
  status: 'downloading' | 'paused' | 'done' | 'failed'
  /** Bytes stored so far, this model's files together. */
  loaded: number
  /** Expected bytes (approximate for manifests; unknown for a bare URL). */
  total?: number
  file?: string
  error?: { message: string; hint?: string }
}

interface FileToFetch {
  path: string
  optional: boolean
}

/** The diffusers ONNX layout: what a bare URL model may hold (weights files are found after). */
const LAYOUT: readonly FileToFetch[] = [
  ...['tokenizer/vocab.json', 'tokenizer/merges.txt'].map((path) => ({ path, optional: false })),
  ...[
    'model_index.json',
    'scheduler/scheduler_config.json',
    'tokenizer/special_tokens_map.json',
    'tokenizer/tokenizer_config.json',
    'unet/config.json',
    'vae_decoder/config.json',
    'vae_encoder/config.json',
  ].map((path) => ({ path, optional: true })),
  ...['text_encoder/model.onnx', 'unet/model.onnx', 'vae_decoder/model.onnx'].map((path) => ({
    path,
    optional: false,
  })),
  { path: 'vae_encoder/model.onnx', optional: true },
]

/** Graphs this small are read to find their external weights files; bigger ones hold their own. */
const PARSE_LIMIT = 512 * 1024 ** 2

type Listener = () => void

class Downloads {
  private readonly states = new Map<string, DownloadState>()
  private readonly controllers = new Map<string, AbortController>()
  private readonly listeners = new Set<Listener>()

  private settled = 0

  get = (ref: string): DownloadState | undefined => this.states.get(ref)

  /** Counts downloads that finished, paused or failed: storage changed, list it again. */
  settledCount = (): number => this.settled

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Downloads (or resumes) a manifest's model or a model under a base URL. */
  start(ref: string): Promise<void> {
    if (this.controllers.has(ref)) return Promise.resolve()
    const controller = new AbortController()
    this.controllers.set(ref, controller)
    const manifest = findManifest(ref)
    const total = manifest?.files.reduce((n, f) => n + f.bytes, 0)
    this.set(ref, { status: 'downloading', loaded: 0, total })
    return this.fetchAll(ref, controller.signal, total).finally(() => this.controllers.delete(ref))
  }

  cancel(ref: string): void {
    this.controllers.get(ref)?.abort()
  }

  private async fetchAll(ref: string, signal: AbortSignal, total?: number): Promise<void> {
    const manifest = findManifest(ref)
    const base = manifest?.baseUrl ?? ref
    const queue: FileToFetch[] = manifest
      ? manifest.files.map((f) => ({ path: f.path, optional: false }))
      : [...LAYOUT]
    let stored = 0
    let path = ''
    try {
      if (!hasOpfs()) throw new Error('This browser gives this page no private file storage.')
      await allowModelDownload(base) // the person pressed Download

      void navigator.storage.persist?.().catch(() => false) // ask not to evict gigabytes
      for (let i = 0; i < queue.length; i++) {
        path = queue[i].path
        this.set(ref, { status: 'downloading', loaded: stored, total, file: path })
        let file: File
        try {
          file = await storeUrlFile(base, path, {
            signal,
            onProgress: (loaded) =>
              this.set(ref, { status: 'downloading', loaded: stored + loaded, total, file: path }),
          })
        } catch (error) {
          if (queue[i].optional && isMissingFile(error)) continue
          throw error
        }
        stored += file.size
        if (!manifest && path.endsWith('.onnx') && file.size < PARSE_LIMIT) {
          const folder = path.slice(0, path.lastIndexOf('/') + 1)
          const facts = readOnnxFacts(new Uint8Array(await file.arrayBuffer()))
          for (const location of facts.externalLocations) {
            queue.push({ path: folder + location, optional: false })
          }
        }
      }
      this.set(ref, { status: 'done', loaded: stored, total: stored })
    } catch (error) {
      const current = this.states.get(ref)
      const loaded = current?.loaded ?? stored
      if (isCancelled(error) || signal.aborted) {
        this.set(ref, { status: 'paused', loaded, total })
        return
      }
      const explained = isMissingFile(error)
        ? {
            message: `${base} has no “${path}”, which every model needs`,
            hint: 'Check that the address is the model’s top folder (diffusers ONNX layout).',
          }
        : describeError(explainLoadError(error, path, base))
      this.set(ref, { status: 'failed', loaded, total, error: explained })
    }
  }

  private lastNotice = 0

  private set(ref: string, state: DownloadState): void {
    const before = this.states.get(ref)
    this.states.set(ref, state)
    if (state.status !== 'downloading') this.settled++
    // Progress arrives per network chunk: ten updates a second are plenty for a bar.
    const now = performance.now()
    const sameStep = before?.status === state.status && before.file === state.file
    if (sameStep && now - this.lastNotice < 100) return
    this.lastNotice = now
    for (const listener of [...this.listeners]) listener()
  }
}

/** One per page: downloads outlive the panel being closed. */
export const downloads = new Downloads()
