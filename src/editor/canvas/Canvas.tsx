import { useEffect, useRef, useState } from 'react'
import { addNode } from '../actions'
import { headOf, loadFileIntoNode, loaderFor, paramReading } from '../controls/file-actions'
import { describeSniffed, sniff } from '../../media/sniff'
import type { EditorServices } from '../services'
import { dropGraphFile } from '../library/drop'
import { createCanvas } from './create-canvas'

export const NODE_DRAG_TYPE = 'application/x-synesthete-node'

/**
 * The Rete canvas, plus what the browser brings to it: double-click for the palette, files and
 * library items dropped onto it.
 */
export function Canvas({ services, onReady }: { services: EditorServices; onReady: () => void }) {
  const ref = useRef<HTMLDivElement>(null)
  const [over, setOver] = useState(false)

  useEffect(() => {
    const container = ref.current
    if (!container) return
    let disposed = false
    let destroy: (() => void) | undefined
    void createCanvas(container, services).then((handle) => {
      if (disposed) return handle.destroy()
      services.canvas = handle
      destroy = handle.destroy
      onReady()
    })
    return () => {
      disposed = true
      services.canvas = undefined
      destroy?.()
    }
  }, [services, onReady])

  const onDrop = async (event: React.DragEvent) => {
    event.preventDefault()
    setOver(false)
    const client = { x: event.clientX, y: event.clientY }
    const at = services.canvas?.toArea(client) ?? { x: 0, y: 0 }
    const type = event.dataTransfer.getData(NODE_DRAG_TYPE)
    if (type) {
      await addNode(services, type, { x: at.x - 130, y: at.y - 20 })
      return
    }
    const file = event.dataTransfer.files[0]
    if (!file) return
    const onNode = (event.target as HTMLElement).closest('[data-node-id]')
    if (!onNode && (await dropGraphFile(services, file))) return
    // What the file is, from its first bytes; the node definitions say which of them read it.
    const head = await headOf(file)
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-node-id]')
    const targetId = target?.dataset.nodeId
    const targetDef = targetId && services.registry.get(target.dataset.nodeType ?? '')
    const param = targetDef ? paramReading(targetDef, head) : undefined
    if (targetId && param) {
      await loadFileIntoNode(services, targetId, param, file)
      return
    }
    const loader = loaderFor(services.registry, head)
    if (!loader) {
      services.ui.notify(
        `“${file.name}” is ${describeSniffed(sniff(head))}, which no node here reads.`,
        'warn',
        client,
      )
      return
    }
    const id = await addNode(services, loader.def.type, { x: at.x - 130, y: at.y - 40 })
    if (id) await loadFileIntoNode(services, id, loader.param, file)
  }

  return (
    <div
      className={`canvas${over ? ' canvas-drop' : ''}`}
      data-testid="canvas"
      onDoubleClick={(event) => {
        const target = event.target as HTMLElement
        if (target.closest('[data-node-id], .minimap, [data-testid="minimap"]')) return
        const client = { x: event.clientX, y: event.clientY }
        services.ui.set({
          palette: { client, area: services.canvas?.toArea(client) ?? { x: 0, y: 0 } },
          menu: undefined,
        })
      }}
      onDragOver={(event) => {
        const types = event.dataTransfer.types
        if (!types.includes('Files') && !types.includes(NODE_DRAG_TYPE)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
        setOver(true)
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setOver(false)
      }}
      onDrop={(event) => void onDrop(event)}
    >
      <div ref={ref} className="canvas-area" />
    </div>
  )
}
