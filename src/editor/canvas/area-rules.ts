import type { NodeEditor } from 'rete'
import type { AreaExtensions, AreaPlugin } from 'rete-area-plugin'
import type { ConnectionPlugin } from 'rete-connection-plugin'
import type { EditorServices } from '../services'
import type { AreaExtra, Schemes } from './schemes'
import type { ViewSync } from './view-sync'
import type { Wiring } from './wiring'

/**
 * The wheel's and pinch's lowest zoom. Fit (a zoom with no source: canvas/opening-view.ts) may go
 * lower, as far as the graph needs: positions have no bound, so no fixed floor fits any graph.
 */
const MIN_ZOOM = 0.01
const MAX_ZOOM = 2.5

interface Parts {
  editor: NodeEditor<Schemes>
  area: AreaPlugin<Schemes, AreaExtra>
  connection: ConnectionPlugin<Schemes, AreaExtra>
  services: EditorServices
  sync: ViewSync
  wiring: Wiring
  selector: ReturnType<typeof AreaExtensions.selector>
  commitPositions: () => void
  /** False while something else owns the drag (box selection). */
  panning: () => boolean
}

/**
 * The canvas's house rules: the view never edits itself (edits become store operations), a
 * double-click opens the palette instead of zooming, right-click opens menus, zoom is bounded.
 */
export function installAreaRules(parts: Parts): void {
  const { editor, area, connection, services, sync, wiring, selector, commitPositions, panning } =
    parts

  editor.addPipe((context) => {
    switch (context.type) {
      case 'connectionremove': {
        if (sync.allows(context.data.id)) return context
        const c = context.data
        wiring.detached = true
        services.store.dispatch(
          {
            type: 'disconnect',
            edge: {
              from: { node: c.source, port: c.sourceOutput },
              to: { node: c.target, port: c.targetInput },
            },
          },
          { coalesce: wiring.gesture },
        )
        return undefined
      }
      case 'connectioncreate':
      case 'noderemove':
      case 'nodecreate':
        return sync.allows(context.data.id) ? context : undefined
      default:
        return context
    }
  })

  connection.addPipe((context) => {
    if (context.type === 'connectionpick') wiring.onPick(context.data.socket)
    if (context.type === 'connectiondrop') {
      const { initial, socket, created } = context.data
      wiring.onDrop(initial, socket, created)
    }
    return context
  })

  area.addPipe((context) => {
    switch (context.type) {
      case 'translate':
        return panning() ? context : undefined
      case 'zoom': {
        if (context.data.source === 'dblclick') return undefined
        const floor = context.data.source ? MIN_ZOOM : 0
        const zoom = Math.min(MAX_ZOOM, Math.max(floor, context.data.zoom))
        return { ...context, data: { ...context.data, zoom } }
      }
      case 'nodepicked':
        sync.dragging = true
        services.ui.set({ menu: undefined, palette: undefined })
        return context
      case 'nodedragged':
        sync.dragging = false
        selector.release()
        commitPositions()
        return context
      case 'pointerdown':
        if (services.ui.getSnapshot().menu || services.ui.getSnapshot().palette)
          services.ui.set({ menu: undefined, palette: undefined })
        return context
      case 'contextmenu': {
        const { event, context: target } = context.data
        event.preventDefault()
        event.stopPropagation()
        const client = { x: event.clientX, y: event.clientY }
        if (target === 'root') {
          services.ui.set({
            palette: { client, area: services.canvas?.toArea(client) ?? { x: 0, y: 0 } },
            menu: undefined,
          })
        } else if ('def' in target) {
          services.ui.set({ menu: { node: target.id, client }, palette: undefined })
        }
        return undefined
      }
      default:
        return context
    }
  })
}
