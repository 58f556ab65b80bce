import { useEffect } from 'react'
import type { RoomSession } from './session'

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target.tagName === 'TEXTAREA' ||
    (target.tagName === 'INPUT' &&
      !['checkbox', 'range', 'button', 'radio'].includes((target as HTMLInputElement).type))
  )
}

/**
 * The room's keys, ahead of the editor's (capture phase): Space plays or pauses, 1–9 switch the
 * heard lane at once (the crossfade is scheduled in this very event), L toggles the loop,
 * ←/→ nudge by a second (Shift: five), Home goes to the start, Esc closes the room.
 */
export function useRoomKeys(session: RoomSession, close: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) return
      const t = session.transport
      const handled = () => {
        event.preventDefault()
        event.stopPropagation()
      }
      if (/^[1-9]$/.test(event.key)) {
        handled()
        session.selectNumber(Number(event.key))
      } else if (event.key === ' ') {
        handled()
        if (!event.repeat) void t.toggle()
      } else if (event.key === 'l' || event.key === 'L') {
        handled()
        session.toggleLoop()
      } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
        handled()
        const step = (event.shiftKey ? 5 : 1) * (event.key === 'ArrowLeft' ? -1 : 1)
        t.seek(t.position() + step)
      } else if (event.key === 'Home') {
        handled()
        t.seek(0)
      } else if (event.key === 'Escape') {
        handled()
        close()
      }
    }
    window.addEventListener('keydown', onKey, { capture: true })
    return () => window.removeEventListener('keydown', onKey, { capture: true })
  }, [session, close])
}
