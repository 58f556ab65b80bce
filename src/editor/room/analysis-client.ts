import type { AudioValue } from '../../engine/values'
import { encodedValueOf } from '../../runtime/encoded'
import type { AnalysisReply, AnalysisRequest } from './analysis-host'
import { analyseLane, type LaneAnalysis } from './lane-analysis'

/**
 * Lane analyses (loudness, waveform and spectrogram overviews), made once per value in the
 * room's worker: a 10-minute lane takes seconds to measure, and the page must not stall. A value
 * from a worker or IndexedDB is read there from its cache Blob, so the page copies nothing.
 */
export class LaneAnalyser {
  private readonly made = new WeakMap<AudioValue, Promise<LaneAnalysis>>()
  private worker: Worker | undefined
  private nextId = 1
  private readonly waiting = new Map<
    number,
    { resolve(a: LaneAnalysis): void; reject(e: Error): void }
  >()

  constructor(private readonly createWorker: (() => Worker) | undefined = defaultWorker()) {}

  analyse(audio: AudioValue): Promise<LaneAnalysis> {
    let promise = this.made.get(audio)
    if (!promise) {
      promise = this.inWorker(audio)
      this.made.set(audio, promise)
    }
    return promise
  }

  dispose(): void {
    this.worker?.terminate()
    this.worker = undefined
  }

  private inWorker(audio: AudioValue): Promise<LaneAnalysis> {
    if (!this.createWorker) return Promise.resolve().then(() => analyseLane(audio))
    const worker = (this.worker ??= this.start(this.createWorker))
    const id = this.nextId++
    const ref = encodedValueOf(audio)
    const request: AnalysisRequest = ref
      ? { id, blob: ref.blob, port: ref.port }
      : { id, audio: { kind: 'audio', sampleRate: audio.sampleRate, channels: audio.channels } }
    return new Promise<LaneAnalysis>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage(request)
    })
  }

  private start(create: () => Worker): Worker {
    const worker = create()
    worker.addEventListener('message', (event: MessageEvent<AnalysisReply>) => {
      const reply = event.data
      const pending = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      if ('analysis' in reply) pending?.resolve(reply.analysis)
      else pending?.reject(new Error(reply.error))
    })
    worker.addEventListener('error', (event) => {
      event.preventDefault()
      worker.terminate()
      if (this.worker === worker) this.worker = undefined
      for (const pending of this.waiting.values())
        pending.reject(new Error('The listening room’s analysis worker stopped'))
      this.waiting.clear()
    })
    return worker
  }
}

function defaultWorker(): (() => Worker) | undefined {
  if (typeof Worker === 'undefined') return undefined
  return () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' })
}
