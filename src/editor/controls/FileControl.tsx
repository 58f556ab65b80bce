import { useEffect, useRef, useState } from 'react'
import type { FileParam } from '../../engine/params'
import type { EditorServices } from '../services'
import { fileLabel, kindOfFile, loadFileIntoNode, lookUpFileName } from './file-actions'

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

  const take = (file: File | undefined) => {
    if (!file) return
    if (kindOfFile(file) !== spec.accept) {
      services.ui.notify(
        `“${file.name}” does not look like ${spec.accept === 'audio' ? 'a sound' : 'a picture'} file.`,
        'warn',
      )
      return
    }
    void loadFileIntoNode(services, node, param, file)
  }

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
        take(e.dataTransfer.files[0])
      }}
    >
      <span className="file-name" title={value || 'No file chosen'}>
        {value
          ? value.startsWith('sample:')
            ? `${name} (sample)`
            : name
          : 'No file: drop one here'}
      </span>
      <button type="button" onClick={() => input.current?.click()}>
        Choose…
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept={
          spec.accept === 'audio' ? 'audio/*,.wav,.mp3,.ogg,.opus,.flac,.m4a,.aac,.webm' : 'image/*'
        }
        onChange={(e) => {
          take(e.target.files?.[0])
          e.target.value = ''
        }}
      />
    </div>
  )
}
