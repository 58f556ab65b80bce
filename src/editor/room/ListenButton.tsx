import { useSyncExternalStore } from 'react'
import type { EditorServices } from '../services'

/** Whether the room was open, so a reload shows it again (a view setting, not the graph's). */
export const ROOM_OPEN_KEY = 'synesthete.room.open'

export function openRoom(services: EditorServices, open = true): void {
  services.ui.set({ room: open, menu: undefined, preview: undefined })
  try {
    if (open) localStorage.setItem(ROOM_OPEN_KEY, '1')
    else localStorage.removeItem(ROOM_OPEN_KEY)
  } catch {
    // storage blocked: the room simply opens closed next time
  }
}

/** The top bar's way into the listening room. */
export function ListenButton({ services }: { services: EditorServices }) {
  const open = useSyncExternalStore(services.ui.subscribe, () => services.ui.getSnapshot().room)
  return (
    <button
      type="button"
      className={open ? 'listen-button on' : 'listen-button'}
      aria-pressed={open ?? false}
      onClick={() => openRoom(services, !open)}
      title="The listening room: every sound of the graph side by side, switched at the same position"
      data-testid="listen-button"
    >
      ♫ Listen
    </button>
  )
}
