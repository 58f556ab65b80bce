import { lazy, Suspense, useEffect } from 'react'
import type { EditorServices } from '../services'
import { openRoom, ROOM_OPEN_KEY } from './ListenButton'
import './room.css'

const ListeningRoom = lazy(() =>
  import('./ListeningRoom').then((m) => ({ default: m.ListeningRoom })),
)

/** Mounts the room while it is open, and reopens it after a reload if it was open. */
export function ListeningRoomHost({ services, open }: { services: EditorServices; open: boolean }) {
  useEffect(() => {
    let wasOpen = false
    try {
      wasOpen = localStorage.getItem(ROOM_OPEN_KEY) === '1'
    } catch {
      // storage blocked
    }
    if (wasOpen) openRoom(services)
  }, [services])
  if (!open) return null
  return (
    <Suspense fallback={null}>
      <ListeningRoom services={services} />
    </Suspense>
  )
}
