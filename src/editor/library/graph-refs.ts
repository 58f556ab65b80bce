import type { GraphDocument } from '../../engine/document'
import type { Preset } from '../presets'
import type { EditorServices } from '../services'
import type { GraphRef } from './library-ui'
import { presetThumbnail } from './preset-thumbs'

/** A graph to show: where it is from, its name, the document (when it can be read). */
export interface ShownGraph {
  ref: GraphRef
  key: string
  name: string
  graph?: GraphDocument
  thumbnail?: string
}

export const refKey = (ref: GraphRef): string =>
  ref.kind === 'preset' ? `preset:${ref.file}` : ref.kind === 'mine' ? `mine:${ref.id}` : 'current'

export function refFromKey(key: string): GraphRef {
  if (key.startsWith('preset:')) return { kind: 'preset', file: key.slice(7) }
  if (key.startsWith('mine:')) return { kind: 'mine', id: key.slice(5) }
  return { kind: 'current' }
}

/** Every graph that can be compared: the open one, the examples, My graphs. */
export function allGraphs(services: EditorServices, presets: readonly Preset[]): ShownGraph[] {
  const doc = services.store.doc
  const current: ShownGraph = {
    ref: { kind: 'current' },
    key: 'current',
    name: `The open graph${doc.name ? ` (${doc.name})` : ''}`,
    graph: doc,
  }
  const examples = presets.map((p): ShownGraph => {
    const ref: GraphRef = { kind: 'preset', file: p.file }
    return {
      ref,
      key: refKey(ref),
      name: p.name,
      graph: p.graph,
      thumbnail: presetThumbnail(p.file),
    }
  })
  const mine = services.library.graphs.getSnapshot().entries.map((entry): ShownGraph => {
    const ref: GraphRef = { kind: 'mine', id: entry.id }
    const opened = services.library.graphs.open(entry, services.registry)
    return { ref, key: refKey(ref), name: entry.name, graph: opened.ok ? opened.graph : undefined }
  })
  return [current, ...examples, ...mine]
}
