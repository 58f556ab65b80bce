import type { EncodedRef } from '../../engine/codec'
import type { AudioValue } from '../../engine/values'
import type { ListenExportOptions } from '../../media/listen-export'
import type { OutputFile } from '../../media/output-files'
import {
  answerRoomRequest,
  type ExportLane,
  type LaneSource,
  type RoomWorkerReply,
  type RoomWorkerRequest,
} from './analysis-host'
import type { LaneAnalysis } from './lane-analysis'

type Pending = { resolve(reply: RoomWorkerReply): void; reject(e: Error): void }
type Request = RoomWorkerRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never

/**
 * The room's worker: lane analyses (loudness, waveform and spectrogram overviews), made once per
 * value, and the export zip. A 10-minute lane takes seconds to measure, and the page must not
 * stall. A value from a worker or IndexedDB is read there from its cache Blob (`stored`, from
 * its run's result), so the page copies nothing; without workers (Node tests) the same code
 * runs here.
 */
export class LaneAnalyser {
  private readonly made = new WeakMap<AudioValue, Promise<LaneAnalysis>>()
  private worker: Worker | undefined
  private nextId = 1
  private readonly waiting = new Map<number, Pending>()

  constructor(private readonly createWorker: (() => Worker) | undefined = defaultWorker()) {}

  analyse(audio: AudioValue, stored?: EncodedRef): Promise<LaneAnalysis> {
    let promise = this.made.get(audio)
    if (!promise) {
      promise = this.ask({ type: 'analyse', source: sourceOf(audio, stored) }).then((reply) => {
        if ('analysis' in reply) return reply.analysis
        throw new Error('error' in reply ? reply.error : 'unexpected reply')
      })
      this.made.set(audio, promise)
    }
    return promise
  }

  /** The export zip of these lanes (see src/media/listen-export.ts). */
  async exportZip(
    lanes: (Omit<ExportLane, 'source'> & { audio: AudioValue; stored?: EncodedRef })[],
    options: ListenExportOptions,
    name: string,
  ): Promise<OutputFile> {
    const request: Request = {
      type: 'export',
      lanes: lanes.map(({ audio, stored, ...lane }) => ({
        ...lane,
        source: sourceOf(audio, stored),
      })),
      options,
      name,
    }
    const reply = await this.ask(request)
    if ('zip' in reply) return reply.zip
    throw new Error('error' in reply ? reply.error : 'unexpected reply')
  }

  dispose(): void {
    this.worker?.terminate()
    this.worker = undefined
  }

  private async ask(request: Request): Promise<RoomWorkerReply> {
    const id = this.nextId++
    const full: RoomWorkerRequest = { ...request, id }
    if (!this.createWorker) return (await answerRoomRequest(full)).reply
    const worker = (this.worker ??= this.start(this.createWorker))
    return new Promise<RoomWorkerReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage(full)
    })
  }

  private start(create: () => Worker): Worker {
    const worker = create()
    worker.addEventListener('message', (event: MessageEvent<RoomWorkerReply>) => {
      const pending = this.waiting.get(event.data.id)
      this.waiting.delete(event.data.id)
      pending?.resolve(event.data)
    })
    worker.addEventListener('error', (event) => {
      event.preventDefault()
      worker.terminate()
      if (this.worker === worker) this.worker = undefined
      for (const pending of this.waiting.values())
        pending.reject(new Error('The listening room’s worker stopped'))
      this.waiting.clear()
    })
    return worker
  }
}

/** The Blob a value's bytes already sit in, or (a value made on the page) the value itself. */
function sourceOf(audio: AudioValue, stored: EncodedRef | undefined): LaneSource {
  return stored
    ? { blob: stored.blob, port: stored.port }
    : { audio: { kind: 'audio', sampleRate: audio.sampleRate, channels: audio.channels } }
}

function defaultWorker(): (() => Worker) | undefined {
  if (typeof Worker === 'undefined') return undefined
  return () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' })
}
