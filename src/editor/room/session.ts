import type { ListeningRoomState } from '../../engine/document'
import { mulberry32 } from '../../engine/random'
import type { EncodedRef } from '../../engine/codec'
import type { AudioValue } from '../../engine/values'
import { storedRef } from '../run/run-store'
import type { EditorServices } from '../services'
import { abxX, answerAbx, startAbx, type AbxChoice, type AbxState } from './abx'
import { LaneAnalyser } from './analysis-client'
import { rankLane, revealBlind, startBlind, type BlindState } from './blind'
import { audioBufferOf } from './audio-buffer'
import type { LaneAnalysis } from './lane-analysis'
import { deriveLanes, roomOf, type LaneSpec } from './lanes'
import { roomGains } from '../../media/lane-overview'
import { RoomTransport } from './transport'

/** What a lane shows about the node that makes it. */
export type LaneStatus =
  | { kind: 'ready' }
  | { kind: 'waiting' } // no sound yet: the node has not run
  | { kind: 'running'; progress?: number }
  | { kind: 'failed'; message: string }
  | { kind: 'analysing' }

export interface LaneView extends LaneSpec {
  status: LaneStatus
  /** The lane's sound is from before an edit (the node will re-run). */
  stale: boolean
  analysis?: LaneAnalysis
  /** Loudness matching applied, dB (0 while matching is off or not measured yet). */
  gainDb: number
  audio?: AudioValue
}

export type AbxSession = AbxState & { listening: AbxChoice | 'X' }

export interface RoomSnapshot {
  lanes: LaneView[]
  active: string | undefined
  solo: ReadonlySet<string>
  mute: ReadonlySet<string>
  blind: BlindState | undefined
  abx: AbxSession | undefined
  playing: boolean
  durationSec: number
  room: ListeningRoomState
}

interface LaneMedia {
  audio: AudioValue
  /** Where its bytes already sit encoded (the run's result): measured in a worker from that. */
  stored?: EncodedRef
  analysis?: LaneAnalysis
  error?: string
  buffer?: AudioBuffer
}

/**
 * The listening room's live state beside the graph document: which lane is heard, solo and mute,
 * blind and ABX tests, and each lane's analysis and audio buffer. It follows the graph (lanes)
 * and the runs (each lane's sound); the transport plays what it says.
 */
export class RoomSession {
  readonly transport: RoomTransport
  readonly analyser = new LaneAnalyser()
  private readonly media = new Map<string, LaneMedia>()
  private active: string | undefined
  private solo = new Set<string>()
  private mute = new Set<string>()
  private blind: BlindState | undefined
  private abx: AbxSession | undefined
  private snapshot: RoomSnapshot | undefined
  private readonly listeners = new Set<() => void>()
  private readonly unsubscribe: (() => void)[] = []
  private readonly random = mulberry32((Date.now() ^ 0x9e3779b9) >>> 0)

  constructor(
    private readonly services: EditorServices,
    transport = new RoomTransport(),
  ) {
    this.transport = transport
    this.unsubscribe.push(
      services.store.subscribe(() => this.refresh()),
      services.runs.subscribe(() => this.refresh()),
      transport.subscribe(() => this.changed()),
    )
    this.refresh()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): RoomSnapshot => (this.snapshot ??= this.build())

  dispose(): void {
    for (const off of this.unsubscribe) off()
    this.transport.dispose()
    this.analyser.dispose()
  }

  /** Saves a change of the room in the graph document, as one undoable step per kind of edit. */
  edit(room: ListeningRoomState, what: string): void {
    this.services.store.dispatch(
      { type: 'setRoom', room, what: `listening room: ${what}` },
      { coalesce: `room:${what}` },
    )
  }

  /** Switches the heard lane (A/B), keeping the position. */
  select(key: string): void {
    if (this.abx) return
    this.active = key
    this.applyHeard()
  }

  /** The n-th lane as shown (1-based): in blind mode, the n-th letter. */
  selectNumber(n: number): void {
    if (this.abx) {
      const choice = (['A', 'B', 'X'] as const)[n - 1]
      if (choice) this.listenAbx(choice)
      return
    }
    const order = this.blind ? this.blind.order : this.getSnapshot().lanes.map((l) => l.key)
    const key = order[n - 1]
    if (key) this.select(key)
  }

  /** Turns the loop on or off (there must be a region, dragged on the ruler). */
  toggleLoop(): void {
    const room = roomOf(this.services.store.doc)
    if (room.loop) this.edit({ ...room, loop: { ...room.loop, on: !room.loop.on } }, 'loop')
  }

  toggleSolo(key: string): void {
    toggle(this.solo, key)
    this.applyHeard()
  }

  toggleMute(key: string): void {
    toggle(this.mute, key)
    this.applyHeard()
  }

  startBlind(): void {
    const keys = this.getSnapshot().lanes.map((l) => l.key)
    this.abx = undefined
    this.blind = startBlind(keys, this.random)
    this.solo.clear()
    this.active = this.blind.order[0]
    this.applyHeard()
  }

  rank(key: string, rank: number): void {
    if (!this.blind) return
    this.blind = rankLane(this.blind, key, rank)
    this.changed()
  }

  reveal(): void {
    if (!this.blind) return
    this.blind = revealBlind(this.blind)
    this.changed()
  }

  endTests(): void {
    this.blind = undefined
    this.abx = undefined
    this.applyHeard()
  }

  startAbx(a: string, b: string): void {
    if (a === b) return
    this.blind = undefined
    this.solo.clear()
    this.abx = { ...startAbx(a, b, this.random), listening: 'A' }
    this.applyHeard()
  }

  listenAbx(choice: AbxChoice | 'X'): void {
    if (!this.abx) return
    this.abx = { ...this.abx, listening: choice }
    this.applyHeard()
  }

  answerAbx(answer: AbxChoice): void {
    if (!this.abx) return
    this.abx = { ...answerAbx(this.abx, answer, this.random), listening: 'A' }
    this.applyHeard()
  }

  /** Lanes heard now: the ABX choice; else the soloed lanes; else the active one; never muted. */
  heard(): Set<string> {
    if (this.abx) {
      const { listening, a, b } = this.abx
      return new Set([listening === 'X' ? abxX(this.abx) : listening === 'A' ? a : b])
    }
    const keys = this.getSnapshot().lanes.map((l) => l.key)
    const base = this.solo.size > 0 ? [...this.solo] : this.active ? [this.active] : []
    return new Set(base.filter((k) => keys.includes(k) && !this.mute.has(k)))
  }

  private refresh(): void {
    const { store, runs, registry } = this.services
    const specs = deriveLanes(store.doc, registry)
    const keys = new Set(specs.map((l) => l.key))
    for (const key of [...this.media.keys()]) if (!keys.has(key)) this.media.delete(key)
    for (const spec of specs) {
      const value = runs.get(spec.node).outputs?.[spec.port]
      if (value?.kind !== 'audio') continue
      const known = this.media.get(spec.key)
      if (known?.audio === value) continue
      const media: LaneMedia = { audio: value, stored: storedRef(runs.get(spec.node), spec.port) }
      this.media.set(spec.key, media)
      void this.prepare(spec.key, media)
    }
    if (!this.active || !keys.has(this.active)) this.active = specs[0]?.key
    this.snapshot = undefined
    this.pushToTransport()
    this.changed()
  }

  private async prepare(key: string, media: LaneMedia): Promise<void> {
    try {
      const [analysis, buffer] = await Promise.all([
        this.analyser.analyse(media.audio, media.stored),
        audioBufferOf(media.audio),
      ])
      media.analysis = analysis
      media.buffer = buffer
    } catch (error) {
      media.error = error instanceof Error ? error.message : String(error)
    }
    if (this.media.get(key) !== media) return // replaced by a newer sound meanwhile
    this.snapshot = undefined
    this.pushToTransport()
    this.changed()
  }

  private pushToTransport(): void {
    const lanes = this.getSnapshot().lanes
    this.transport.setLanes(
      lanes.map((l) => ({
        key: l.key,
        buffer: this.media.get(l.key)?.buffer,
        gainDb: l.gainDb,
        pastEnd: l.pastEnd,
      })),
    )
    this.transport.setLoop(this.services.store.doc.room?.loop)
    this.transport.setHeard(this.heard())
  }

  private applyHeard(): void {
    this.snapshot = undefined
    this.transport.setHeard(this.heard())
    this.changed()
  }

  private build(): RoomSnapshot {
    const { store, runs, registry } = this.services
    const room = roomOf(store.doc)
    const specs = deriveLanes(store.doc, registry)
    const measures = specs.map((s) => this.media.get(s.key)?.analysis?.loudness)
    const gains = roomGains(measures, room)
    const lanes = specs.map((spec, i): LaneView => {
      const run = runs.get(spec.node)
      const media = this.media.get(spec.key)
      let status: LaneStatus
      if (run.state === 'running' || run.state === 'queued')
        status = { kind: 'running', progress: run.progress }
      else if (run.state === 'error')
        status = { kind: 'failed', message: run.error?.message ?? 'the node failed' }
      else if (media?.error) status = { kind: 'failed', message: media.error }
      else if (!media) status = { kind: 'waiting' }
      else if (!media.analysis || !media.buffer) status = { kind: 'analysing' }
      else status = { kind: 'ready' }
      return {
        ...spec,
        status,
        stale: run.stale,
        analysis: media?.analysis,
        audio: media?.audio,
        gainDb: gains[i],
      }
    })
    return {
      lanes,
      active: this.active,
      solo: this.solo,
      mute: this.mute,
      blind: this.blind,
      abx: this.abx,
      playing: this.transport.isPlaying,
      durationSec: this.transport.durationSec,
      room,
    }
  }

  private changed(): void {
    this.snapshot = undefined
    for (const listener of [...this.listeners]) listener()
  }
}

function toggle(set: Set<string>, key: string): void {
  if (set.has(key)) set.delete(key)
  else set.add(key)
}

const sessions = new WeakMap<EditorServices, RoomSession>()

/** The editor's one room session, made when the room is first opened. */
export function roomSessionOf(services: EditorServices): RoomSession {
  let session = sessions.get(services)
  if (!session) {
    session = new RoomSession(services)
    sessions.set(services, session)
  }
  return session
}
