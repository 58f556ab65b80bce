import type { PastEnd } from '../../engine/document'
import { equalPowerCurve } from './crossfade'

/** A lane as the transport plays it. */
export interface TransportLane {
  key: string
  buffer: AudioBuffer | undefined
  /** Loudness matching, in dB. */
  gainDb: number
  pastEnd: PastEnd
}

export interface LoopRegion {
  startSec: number
  endSec: number
  on: boolean
}

/** How long a switch between lanes crossfades (equal power): under 20 ms, so no click. */
export const SWITCH_FADE_SEC = 0.015
/** How far ahead the next pass of a loop is scheduled (timers are late; audio is not). */
const LOOKAHEAD_SEC = 0.25

interface LaneNodes {
  lane: TransportLane
  match: GainNode
  fader: GainNode
  /** Where sources connect: the match gain, or the RGB → stereo routing in front of it. */
  input: AudioNode
  sources: AudioBufferSourceNode[]
  heard: boolean
}

/** The moment switching last happened, for the room's readout and the benchmarks. */
export interface SwitchTiming {
  /** AudioContext time the crossfade was scheduled to start. */
  scheduledAt: number
  /** AudioContext time when it was scheduled (the same, or later only if the clock moved). */
  contextNow: number
  /** performance.now() when scheduled. */
  pageMs: number
}

/**
 * One transport for every lane, as a hardware A/B switcher: all lanes' sources start together,
 * sample-aligned, each through its own gains (loudness matching, then a fader); switching the
 * heard lane only moves faders, with an equal-power crossfade starting at `currentTime`, so the
 * position carries on and nothing clicks. Loops are scheduled a pass ahead on the audio clock.
 */
export class RoomTransport {
  private context: AudioContext | undefined
  private master: GainNode | undefined
  private readonly nodes = new Map<string, LaneNodes>()
  private lanes: TransportLane[] = []
  private heard = new Set<string>()
  private loopRegion: LoopRegion | undefined
  private playing = false
  /** Ruler position at `originTime` of the audio clock (while playing), or the paused position. */
  private originPos = 0
  private originTime = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly listeners = new Set<() => void>()
  lastSwitch: SwitchTiming | undefined

  constructor(private readonly createContext: () => AudioContext = () => new AudioContext()) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get isPlaying(): boolean {
    return this.playing
  }

  /** The ruler's length: the longest lane. */
  get durationSec(): number {
    let longest = 0
    for (const lane of this.lanes) longest = Math.max(longest, lane.buffer?.duration ?? 0)
    return longest
  }

  /** The audio clock, for tests and timing. */
  get audioContext(): AudioContext | undefined {
    return this.context
  }

  /** Seconds along the ruler now. */
  position(): number {
    if (!this.playing || !this.context) return this.originPos
    const raw = this.originPos + (this.context.currentTime - this.originTime)
    const loop = this.activeLoop(this.originPos)
    if (loop && raw >= loop.endSec) {
      const length = loop.endSec - loop.startSec
      return loop.startSec + ((raw - loop.endSec) % length)
    }
    return Math.min(raw, this.durationSec)
  }

  /** Where a lane is at ruler position `pos`: its own time, or undefined past its end if silent. */
  lanePosition(key: string, pos = this.position()): number | undefined {
    const lane = this.lanes.find((l) => l.key === key)
    const duration = lane?.buffer?.duration ?? 0
    if (!lane || duration <= 0) return undefined
    if (pos < duration) return pos
    return lane.pastEnd === 'loop' ? pos % duration : undefined
  }

  setLanes(lanes: readonly TransportLane[]): void {
    const before = new Map(this.lanes.map((l) => [l.key, l]))
    this.lanes = [...lanes]
    const keep = new Set(lanes.map((l) => l.key))
    for (const [key, nodes] of this.nodes) {
      if (!keep.has(key)) {
        this.stopSources(nodes)
        nodes.fader.disconnect()
        this.nodes.delete(key)
      }
    }
    if (!this.context) return
    const pos = this.position()
    const durationChanged = this.playing && pos >= this.durationSec
    for (const lane of lanes) {
      const old = before.get(lane.key)
      const nodes = this.ensureNodes(lane)
      nodes.lane = lane
      nodes.match.gain.value = 10 ** (lane.gainDb / 20)
      const changed = !old || old.buffer !== lane.buffer || old.pastEnd !== lane.pastEnd
      // Only the lane that changed restarts, at the same position; the others play on.
      if (changed && this.playing) this.startLane(nodes, pos, this.context.currentTime)
    }
    if (durationChanged) this.pause()
    this.emit()
  }

  /** Which lanes are heard; faders move with a short equal-power crossfade while playing. */
  setHeard(keys: Iterable<string>): void {
    const next = new Set(keys)
    if (next.size === this.heard.size && [...next].every((k) => this.heard.has(k))) return
    this.heard = next
    if (!this.context) return
    const now = this.context.currentTime
    for (const nodes of this.nodes.values()) this.fade(nodes, now)
    this.lastSwitch = { scheduledAt: now, contextNow: now, pageMs: performance.now() }
    this.emit()
  }

  setLoop(loop: LoopRegion | undefined): void {
    const same =
      loop?.on === this.loopRegion?.on &&
      loop?.startSec === this.loopRegion?.startSec &&
      loop?.endSec === this.loopRegion?.endSec
    if (same) return
    const pos = this.position()
    this.loopRegion = loop
    if (this.playing) this.startAll(pos)
    this.emit()
  }

  async play(): Promise<void> {
    const context = this.ensureContext()
    if (context.state !== 'running') await context.resume()
    if (this.playing) return
    let pos = this.originPos
    const loop = this.loopRegion?.on ? this.loopRegion : undefined
    if (pos >= this.durationSec - 1e-3) pos = loop ? loop.startSec : 0
    this.playing = true
    this.startAll(pos)
    this.emit()
  }

  pause(): void {
    if (!this.playing) return
    this.originPos = this.position()
    this.playing = false
    this.clearTimer()
    for (const nodes of this.nodes.values()) this.stopSources(nodes)
    this.emit()
  }

  toggle(): Promise<void> {
    if (this.playing) {
      this.pause()
      return Promise.resolve()
    }
    return this.play()
  }

  seek(sec: number): void {
    const pos = Math.max(0, Math.min(sec, this.durationSec))
    if (this.playing) this.startAll(pos)
    else this.originPos = pos
    this.emit()
  }

  dispose(): void {
    this.pause()
    for (const nodes of this.nodes.values()) nodes.fader.disconnect()
    this.nodes.clear()
    void this.context?.close()
    this.context = undefined
  }

  private ensureContext(): AudioContext {
    if (this.context) return this.context
    const context = this.createContext()
    this.context = context
    this.master = context.createGain()
    this.master.connect(context.destination)
    for (const lane of this.lanes) this.ensureNodes(lane)
    return context
  }

  private ensureNodes(lane: TransportLane): LaneNodes {
    const known = this.nodes.get(lane.key)
    const channels = lane.buffer?.numberOfChannels ?? 0
    const context = this.context as AudioContext
    if (known && (channels === 3) === (known.input !== known.match)) return known
    if (known) {
      this.stopSources(known)
      known.fader.disconnect()
    }
    const match = context.createGain()
    match.gain.value = 10 ** (lane.gainDb / 20)
    const fader = context.createGain()
    fader.gain.value = this.heard.has(lane.key) ? 1 : 0
    match.connect(fader)
    fader.connect(this.master as GainNode)
    const input = channels === 3 ? rgbToStereo(context, match) : match
    const nodes: LaneNodes = {
      lane,
      match,
      fader,
      input,
      sources: [],
      heard: this.heard.has(lane.key),
    }
    this.nodes.set(lane.key, nodes)
    return nodes
  }

  private fade(nodes: LaneNodes, now: number): void {
    const target = this.heard.has(nodes.lane.key)
    const wasHeard = nodes.heard
    nodes.heard = target
    const gain = nodes.fader.gain
    const value = target ? 1 : 0
    if (!this.playing) {
      gain.cancelScheduledValues(0)
      gain.value = value
      return
    }
    if (target === wasHeard) return
    const from = gain.value
    // Hold a crossfade still in progress where it is, then turn from there.
    if (typeof gain.cancelAndHoldAtTime === 'function') gain.cancelAndHoldAtTime(now)
    else gain.cancelScheduledValues(now)
    if (Math.abs(from - value) < 1e-4) gain.setValueAtTime(value, now)
    else gain.setValueCurveAtTime(equalPowerCurve(from, value), now, SWITCH_FADE_SEC)
  }

  private activeLoop(pos: number): LoopRegion | undefined {
    const loop = this.loopRegion
    if (!loop?.on || loop.endSec - loop.startSec < 0.01) return undefined
    return pos < loop.endSec ? loop : undefined
  }

  /** Every lane from `pos`, now; then the next pass of the loop, or the stop at the end. */
  private startAll(pos: number): void {
    const context = this.context
    if (!context) return
    this.clearTimer()
    const now = context.currentTime
    this.originPos = pos
    this.originTime = now
    for (const nodes of this.nodes.values()) this.startLane(nodes, pos, now)
    this.scheduleBoundary(pos, now)
  }

  private scheduleBoundary(pos: number, at: number): void {
    const context = this.context
    if (!context) return
    const loop = this.activeLoop(pos)
    const end = loop ? loop.endSec : this.durationSec
    const boundary = at + Math.max(0, end - pos)
    const wait = Math.max(0, (boundary - context.currentTime - LOOKAHEAD_SEC) * 1000)
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (!this.playing) return
      if (!loop) {
        this.timer = setTimeout(
          () => {
            this.pause()
            this.originPos = 0
            this.emit()
          },
          Math.max(0, (boundary - context.currentTime) * 1000),
        )
        return
      }
      // The next pass starts exactly at the boundary, on the audio clock.
      for (const nodes of this.nodes.values()) this.startLane(nodes, loop.startSec, boundary)
      this.scheduleBoundary(loop.startSec, boundary)
    }, wait)
  }

  /** Starts a lane's source at ruler position `pos` at audio time `when`, until the boundary. */
  private startLane(nodes: LaneNodes, pos: number, when: number): void {
    const context = this.context as AudioContext
    if (when <= context.currentTime) this.stopSources(nodes)
    const buffer = nodes.lane.buffer
    if (!buffer || buffer.duration <= 0) return
    const loops = nodes.lane.pastEnd === 'loop'
    if (!loops && pos >= buffer.duration) return
    const source = context.createBufferSource()
    source.buffer = buffer
    source.loop = loops
    source.connect(nodes.input)
    source.start(when, loops ? pos % buffer.duration : pos)
    const loop = this.activeLoop(pos)
    if (loop) source.stop(when + (loop.endSec - pos))
    source.onended = () => {
      nodes.sources = nodes.sources.filter((s) => s !== source)
      source.disconnect()
    }
    nodes.sources.push(source)
  }

  private stopSources(nodes: LaneNodes): void {
    for (const source of nodes.sources) {
      source.onended = null
      try {
        source.stop()
      } catch {
        // never started or already stopped
      }
      source.disconnect()
    }
    nodes.sources = []
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

/**
 * Three channels (a reading of R, G and B) on two speakers, as `rgbToStereo` (dsp/rgb-stereo.ts)
 * mixes them for the meter and the export: red left, green in the centre at √½ into each side,
 * blue right. Routed here in Web Audio, so a long lane is never downmixed on the page.
 */
const RGB_CENTRE_GAIN = Math.SQRT1_2

function rgbToStereo(context: AudioContext, into: AudioNode): AudioNode {
  const split = context.createChannelSplitter(3)
  const merge = context.createChannelMerger(2)
  split.connect(merge, 0, 0)
  split.connect(merge, 2, 1)
  const centre = context.createGain()
  centre.gain.value = RGB_CENTRE_GAIN
  split.connect(centre, 1)
  centre.connect(merge, 0, 0)
  centre.connect(merge, 0, 1)
  merge.connect(into)
  return split
}
