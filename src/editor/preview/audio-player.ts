import type { AudioValue } from '../../engine/values'

interface Playing {
  owner: string
  audio: AudioValue
  source: AudioBufferSourceNode
  /** AudioContext time at which sample 0 would have played. */
  origin: number
  duration: number
}

/**
 * Plays one audio value at a time through Web Audio. Owners are preview ids (`node:port`), so a
 * node's play button and its playhead know whether they are the one playing.
 */
export class AudioPlayer {
  private context: AudioContext | undefined
  private playing: Playing | undefined
  private readonly listeners = new Set<() => void>()

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The owner playing now, for `useSyncExternalStore`. */
  getOwner = (): string | undefined => this.playing?.owner

  isPlaying(owner: string): boolean {
    return this.playing?.owner === owner
  }

  /** Seconds into the sound being played by `owner`, or undefined. */
  position(owner: string): number | undefined {
    const p = this.playing
    if (!p || p.owner !== owner || !this.context) return undefined
    return Math.min(p.duration, this.context.currentTime - p.origin)
  }

  play(owner: string, audio: AudioValue, fromSec = 0): void {
    this.stopSource()
    const frames = audio.channels[0]?.length ?? 0
    if (frames === 0) return
    this.context ??= new AudioContext()
    void this.context.resume()
    const channels = audio.channels.slice(0, 32)
    const buffer = this.context.createBuffer(channels.length, frames, audio.sampleRate)
    channels.forEach((data, i) => buffer.copyToChannel(new Float32Array(data), i))
    const source = this.context.createBufferSource()
    source.buffer = buffer
    source.connect(this.context.destination)
    const offset = Math.max(0, Math.min(fromSec, buffer.duration))
    source.start(0, offset)
    const playing: Playing = {
      owner,
      audio,
      source,
      origin: this.context.currentTime - offset,
      duration: buffer.duration,
    }
    source.onended = () => {
      if (this.playing === playing) {
        this.playing = undefined
        this.emit()
      }
    }
    this.playing = playing
    this.emit()
  }

  toggle(owner: string, audio: AudioValue): void {
    if (this.isPlaying(owner)) this.stop()
    else this.play(owner, audio)
  }

  stop(): void {
    if (!this.playing) return
    this.stopSource()
    this.emit()
  }

  private stopSource(): void {
    const p = this.playing
    this.playing = undefined
    if (!p) return
    p.source.onended = null
    try {
      p.source.stop()
    } catch {
      // already stopped
    }
    p.source.disconnect()
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener()
  }
}
