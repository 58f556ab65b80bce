import type { GraphNode } from '../../engine/document'
import type { EditorServices } from '../services'
import { addLane, audioPortsOf, deriveLanes, roomOf } from './lanes'
import { openRoom } from './ListenButton'

/** "Add to the listening room" for each audio output of a node (its node menu). */
export function roomMenuItems(
  services: EditorServices,
  node: GraphNode,
): { label: string; action: () => void }[] {
  const ports = audioPortsOf(node, services.registry)
  return ports.map((port) => ({
    label: ports.length > 1 ? `Add “${port}” to the listening room` : 'Add to the listening room',
    action: () => {
      const { doc } = services.store
      const room = addLane(roomOf(doc), deriveLanes(doc, services.registry), {
        node: node.id,
        port,
      })
      services.store.dispatch(
        { type: 'setRoom', room, what: 'listening room: add lane' },
        { label: 'add to the listening room' },
      )
      openRoom(services)
    },
  }))
}
