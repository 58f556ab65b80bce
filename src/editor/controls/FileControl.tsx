import { useEffect, useRef, useState } from 'react'
import type { FileParam } from '../../engine/params'
import type { EditorServices } from '../services'
import { findNode } from '../../engine/document'
import { notReadBy } from '../../media/file-gate'
import { fileLabel, headOf, loadFileIntoNode, lookUpFileName } from './file-actions'

/** The chosen file's name, a button to choose another, and a drop zone. */
export function FileControl(props: {
  spec: FileParam
  value: string
  node: string
  param: string
  services: EditorServices
}) {
  const { spec, value, node, param, services } = props
  const input = useRef<HTMLInputElement>(null)
  const [name, setName] = useState(() => fileLabel(value))
  const [over, setOver] = useState(false)
  useEffect(() => {
    setName(fileLabel(value))
    let live = true
    void lookUpFileName(services, value).then((n) => live && n && setName(n))
    return () => {
      live = false
    }
  }, [services, value])

  const take = async (file: File | undefined) => {
    if (!file) return
    // The node's definition decides from the file's first bytes whether it reads it.
    const head = await headOf(file)
    const def = services.registry.get(findNode(services.store.doc, node)?.type ?? '')
    const refused = def && notReadBy(def, file.name, head)
    if (refused) {
      services.ui.notify(refused, 'warn')
      return
    }
    await loadFileIntoNode(services, node, param, file)
  }

  const shown = value
    ? value.startsWith('sample:')
      ? `${name} (sample)`
      : name
    : 'No file: drop one here'
  return (
    <div
      className={`control-file${over ? ' drop-over' : ''}`}
      data-testid="file-drop"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return
        e.preventDefault()
        e.stopPropagation()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        e.stopPropagation()
        setOver(false)
        void take(e.dataTransfer.files[0])
      }}
    >
      {/* Hovering a cut name shows it whole, as the person knows it (not its store reference). */}
      <span className="file-name" title={shown}>
        {shown}
      </span>
      <button type="button" onClick={() => input.current?.click()}>
        Choose…
      </button>
      <input
        ref={input}
        type="file"
        hidden
        // A hint for the system's dialog; what is read is decided from the bytes, as above.
        accept={`${spec.accept}/*`}
        onChange={(e) => {
          void take(e.target.files?.[0])
          e.target.value = ''
        }}
      />
    </div>
  )
}
