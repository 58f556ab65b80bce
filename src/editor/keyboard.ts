import { useEffect } from 'react'
import type { AudioValue } from '../engine/values'
import { copySelection, deleteNodes, duplicate, paste, toggleMode } from './actions'
import { newGraph, saveCurrent } from './library/library-actions'
import { dialogOpen } from './panels/dialog'
import { KIND_HINTS } from './kinds'
import { nodeName } from './nodes/node-names'
import type { EditorServices } from './services'

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target.tagName === 'TEXTAREA' ||
    target.tagName === 'SELECT' ||
    (target.tagName === 'INPUT' &&
      !['checkbox', 'range', 'button', 'radio'].includes((target as HTMLInputElement).type))
  )
}

/** Why Space plays nothing: a node that makes no sound says what it makes instead. */
function noSoundMessage(services: EditorServices, id: string): string {
  const { doc } = services.store
  const name = nodeName(doc, services.registry, id) ?? 'The selected node'
  const type = doc.nodes.find((n) => n.id === id)?.type
  const kinds = [...new Set(Object.values(services.registry.get(type ?? '')?.outputs ?? {}))]
  if (kinds.includes('audio')) return `${name} has no sound to play yet: run the graph.`
  if (kinds.length === 0) return `${name} has no sound to play.`
  const makes = kinds.map((k) => KIND_HINTS[k].charAt(0).toLowerCase() + KIND_HINTS[k].slice(1))
  return `${name} has no sound: it makes ${makes.join(' and ')}.`
}

/** Space: play or stop the first audio output of the selected node. */
function playSelected(services: EditorServices): void {
  const [id] = services.canvas?.selected() ?? []
  if (!id) {
    services.player.stop()
    return
  }
  const outputs = services.runs.get(id).outputs ?? {}
  const entry = Object.entries(outputs).find(([, v]) => v.kind === 'audio')
  if (!entry) {
    services.ui.notify(noSoundMessage(services, id), 'info')
    return
  }
  services.player.toggle(`${id}:${entry[0]}`, entry[1] as AudioValue)
}

/**
 * The shortcuts people know from ComfyUI and other node editors. Ignored while typing in a
 * field, so Delete and Ctrl+Z keep their text meaning there.
 */
export function useShortcuts(services: EditorServices): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // While a dialog or panel is open its keys are its own, wherever focus is.
      if (typingIn(event.target) || dialogOpen()) return
      const mod = event.ctrlKey || event.metaKey
      const key = event.key.toLowerCase()
      const act = (action: () => void) => {
        event.preventDefault()
        action()
      }
      if (mod && event.altKey && event.code === 'KeyN') return act(() => void newGraph(services))
      if (mod && key === 'z' && !event.shiftKey) return act(() => services.store.undo())
      if (mod && ((key === 'z' && event.shiftKey) || key === 'y'))
        return act(() => services.store.redo())
      if (mod && key === 'enter') return act(() => void services.controller.run())
      if (mod && key === 's') return act(() => void saveCurrent(services))
      // The listening room lies over the canvas: keys meant for the nodes must not reach
      // nodes the person cannot see (Delete would remove a selected one, and its lane).
      if (services.ui.getSnapshot().room) return
      if (mod && key === 'c') return act(() => void copySelection(services))
      if (mod && key === 'd') return act(() => void duplicate(services))
      if (mod && key === 'b') return act(() => toggleMode(services, 'bypass'))
      if (mod && key === 'm') return act(() => toggleMode(services, 'mute'))
      if (mod && key === 'a')
        return act(() => void services.canvas?.select(services.store.doc.nodes.map((n) => n.id)))
      if (mod) return
      if (key === 'delete' || key === 'backspace') return act(() => deleteNodes(services))
      if (key === ' ') return act(() => playSelected(services))
      if (key === 'f' || key === '.') return act(() => void services.canvas?.zoomToFit())
      if (key === 'escape') {
        services.ui.set({ palette: undefined, menu: undefined, preview: undefined })
        void services.canvas?.select([])
      }
    }
    // Paste comes as an event so text from other apps (a shared graph) can be pasted too.
    const onPaste = (event: ClipboardEvent) => {
      if (typingIn(event.target) || dialogOpen() || services.ui.getSnapshot().room) return
      event.preventDefault()
      void paste(services, event.clipboardData?.getData('text/plain'))
    }
    window.addEventListener('keydown', onKey)
    window.addEventListener('paste', onPaste)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('paste', onPaste)
    }
  }, [services])
}
