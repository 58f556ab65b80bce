import { useCallback, useEffect, useRef, useState } from 'react'
import type { FramesValue } from '../../engine/values'
import type { AudioPlayer } from './audio-player'
import { frameAt } from './frames-view'

export interface FrameClock {
  index: number
  playing: boolean
  /** Shows frame i (and stops playing). */
  seek: (index: number) => void
  toggle: () => void
}

/**
 * Which frame of a sequence to show, advancing with animation frames while playing. With a
 * soundtrack, playback goes through the shared audio player and the frame follows the sound's
 * position (so picture and sound stay together); without, it loops on the page's clock.
 */
export function useFrameClock(value: FramesValue, owner: string, player: AudioPlayer): FrameClock {
  const [index, setIndex] = useState(0)
  const [playing, setPlaying] = useState(false)
  const indexRef = useRef(0)
  indexRef.current = index
  const count = value.frames.length
  useEffect(() => setIndex((i) => Math.min(i, Math.max(0, count - 1))), [count])

  useEffect(() => {
    if (!playing || count === 0) return
    const audio = value.audio
    const fromSec = indexRef.current / value.fps
    if (audio) player.play(owner, audio, fromSec)
    const started = performance.now() - fromSec * 1000
    let raf = 0
    const tick = () => {
      const soundAt = audio ? player.position(owner) : undefined
      if (audio && soundAt === undefined) {
        setPlaying(false)
        return
      }
      const sec = soundAt ?? ((performance.now() - started) / 1000) % (count / value.fps)
      setIndex(frameAt(value, sec))
      raf = requestAnimationFrame(tick)
    }
    raf = requestAnimationFrame(tick)
    return () => {
      cancelAnimationFrame(raf)
      if (audio && player.isPlaying(owner)) player.stop()
    }
  }, [playing, value, count, owner, player])

  const seek = useCallback(
    (i: number) => {
      setPlaying(false)
      setIndex(Math.max(0, Math.min(count - 1, i)))
    },
    [count],
  )
  const toggle = useCallback(() => setPlaying((p) => !p), [])
  return { index, playing, seek, toggle }
}
