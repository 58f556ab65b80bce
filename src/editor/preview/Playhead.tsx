import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { AudioPlayer } from './audio-player'

/**
 * A vertical line following playback of `owner` over a view of `[startSec, endSec)`. It moves
 * by animation frames while playing, without re-rendering React.
 */
export function Playhead(props: {
  player: AudioPlayer
  owner: string
  startSec?: number
  endSec: number
}) {
  const { player, owner, startSec = 0, endSec } = props
  const playing = useSyncExternalStore(player.subscribe, player.getOwner) === owner
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!playing) return
    let frame = 0
    const tick = () => {
      const at = player.position(owner)
      const element = ref.current
      if (element && at !== undefined) {
        const t = (at - startSec) / Math.max(1e-9, endSec - startSec)
        element.style.left = `${Math.max(0, Math.min(1, t)) * 100}%`
        element.style.opacity = t < 0 || t > 1 ? '0' : '1'
      }
      frame = requestAnimationFrame(tick)
    }
    tick()
    return () => cancelAnimationFrame(frame)
  }, [playing, player, owner, startSec, endSec])
  if (!playing) return null
  return <div ref={ref} className="playhead" data-testid="playhead" />
}
