import { useEffect, useRef, useState } from 'react'
import { addNode } from '../actions'
import { fileParamFor, kindOfFile, loadFileIntoNode } from '../controls/file-actions'
import type { EditorServices } from '../services'
import { dropGraphFile } from '../library/drop'
import { createCanvas } from './create-canvas'

export const NODE_DRAG_TYPE = 'application/x-synesthete-node'

/** Which node kind to create for a dropped file: the registered loader for its kind. */
function loaderFor(services: EditorServices, kind: 'audio' | 'image') {
  const preferred = services.registry.get(kind === 'audio' ? 'audio/load' : 'image/load')
  const any = services.registry
    .all()
    .find((d) => Object.keys(d.inputs).length === 0 && fileParamFor(d, kind))
  return preferred && fileParamFor(preferred, kind) ? preferred : any
}

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
    const kind = kindOfFile(file)
    if (!kind) {
      services.ui.notify(
        `“${file.name}” is not a sound or picture file Synesthete can read.`,
        'warn',
        client,
      )
      return
    }
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-node-id]')
    const targetId = target?.dataset.nodeId
    const targetDef = targetId && services.registry.get(target.dataset.nodeType ?? '')
    const param = targetDef ? fileParamFor(targetDef, kind) : undefined
    if (targetId && param) {
      await loadFileIntoNode(services, targetId, param, file)
      return
    }
    const loader = loaderFor(services, kind)
    const loaderParam = loader && fileParamFor(loader, kind)
    if (!loader || !loaderParam) {
      services.ui.notify(`No node can load ${kind} files yet.`, 'warn', client)
      return
    }
    const id = await addNode(services, loader.type, { x: at.x - 130, y: at.y - 40 })
    if (id) await loadFileIntoNode(services, id, loaderParam, file)
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
