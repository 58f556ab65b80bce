import { emptyGraph, type GraphDocument } from '../../engine/document'
import { parseGraphText } from '../../engine/validate'
import { graphInFile } from '../../media/graph-file'
import { safeFileStem } from '../../media/output-files'
import { downloadBlob } from '../actions'
import { withUnfolded } from '../nodes/open-settings'
import type { Preset } from '../presets'
import type { EditorServices } from '../services'
import type { SavedGraph } from './graph-library'
import { keepCurrent, openChecked, showProblems } from './open'

/**
 * What the person does with My graphs and the examples: each action reports its outcome in a
 * toast, and storage failures in words, never as an exception on the page.
 */

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

async function attempt(services: EditorServices, action: () => Promise<void>): Promise<void> {
  try {
    await action()
  } catch (error) {
    services.ui.notify(errorText(error), 'error', undefined, 8000)
  }
}

/** Puts name and notes into the open graph too (the title bar shows its name). */
function nameOpenGraph(services: EditorServices, name: string, notes: string): void {
  const doc = services.store.doc
  const description = notes || undefined
  if (doc.name === name && doc.description === description) return
  services.store.dispatch(
    { type: 'replace', graph: { ...doc, name, description } },
    { label: 'name the graph' },
  )
}

/** Save: updates the entry the graph came from, or asks for a name for a new one. */
export function saveCurrent(services: EditorServices): Promise<void> {
  const { graphs, ui } = services.library
  const doc = services.store.doc
  const entry = ui.currentId ? graphs.get(ui.currentId) : undefined
  if (!entry) {
    ui.set({ save: { name: doc.name ?? 'Untitled graph', notes: doc.description ?? '' } })
    return Promise.resolve()
  }
  return attempt(services, async () => {
    await graphs.update(entry.id, { graph: withUnfolded(doc, services.settings) })
    services.ui.notify(`Saved “${entry.name}” in My graphs.`)
  })
}

export function saveAsNew(services: EditorServices, name: string, notes: string): Promise<void> {
  return attempt(services, async () => {
    const doc = withUnfolded(services.store.doc, services.settings)
    const entry = await services.library.graphs.add(doc, name, notes)
    services.library.ui.setCurrentId(entry.id)
    nameOpenGraph(services, name, notes)
    services.ui.notify(`Saved “${name}” in My graphs.`)
  })
}

export function editEntry(
  services: EditorServices,
  entry: SavedGraph,
  patch: { name?: string; notes?: string },
): Promise<void> {
  return attempt(services, async () => {
    const updated = await services.library.graphs.update(entry.id, patch)
    if (updated && services.library.ui.currentId === entry.id)
      nameOpenGraph(services, updated.name, updated.notes)
  })
}

export function deleteEntry(services: EditorServices, entry: SavedGraph): Promise<void> {
  return attempt(services, async () => {
    await services.library.graphs.remove(entry.id)
    if (services.library.ui.currentId === entry.id) services.library.ui.setCurrentId(undefined)
    services.ui.notify(`Deleted “${entry.name}” from My graphs.`)
  })
}

export function exportFileName(name: string): string {
  return `${safeFileStem(name, 'json', 'graph')}.synesthete.json`
}

/** Downloads a graph as a .json file (a saved entry's, or the open one). */
export function exportGraph(graph: unknown, name: string): void {
  downloadBlob(JSON.stringify(graph, null, 2), 'application/json', exportFileName(name))
}

/** The name a new graph starts with. */
export const NEW_GRAPH_NAME = 'Untitled'

/**
 * New graph: an empty canvas named "Untitled", one undo step. The graph it replaces is kept
 * in My graphs when it had edits; its name and notes stay with it, so they never reach the
 * new graph's saves, exports or provenance.
 */
export async function newGraph(services: EditorServices): Promise<void> {
  const previous = await keepCurrent(services, 'a new graph')
  services.store.dispatch(
    { type: 'replace', graph: emptyGraph(NEW_GRAPH_NAME) },
    { label: 'new graph' },
  )
  services.library.ui.setCurrentId(undefined)
  services.ui.notify(
    previous
      ? `New graph. Your previous graph is in My graphs as “${previous.name}”.`
      : 'New graph: double-click the canvas or drag a node from the library.',
  )
}

export function openEntry(services: EditorServices, entry: SavedGraph): Promise<boolean> {
  const result = services.library.graphs.open(entry, services.registry)
  return openChecked(services, result, { what: `“${entry.name}”`, entryId: entry.id })
}

export function openPreset(services: EditorServices, preset: Preset): Promise<boolean> {
  const graph = structuredClone(preset.graph)
  return openChecked(services, { ok: true, graph, notes: [] }, { what: `“${preset.name}”` })
}

export function duplicatePreset(services: EditorServices, preset: Preset): Promise<void> {
  return attempt(services, async () => {
    const name = `${preset.name} (my copy)`
    const entry = await services.library.graphs.add(preset.graph, name, preset.description ?? '')
    services.library.ui.openBrowser('mine', entry.id)
    services.ui.notify(`“${name}” is in My graphs: rename it, add notes, open it.`)
  })
}

/** Entry name for an imported graph: its own name, else the file's without its extension. */
const nameFor = (graph: GraphDocument, fileName: string) =>
  graph.name ?? (fileName.replace(/(\.synesthete)?\.[^.]+$/i, '') || fileName)

/**
 * Imports graph files (judged by content: JSON, a share link, or a PNG, WAV or zip exported by
 * Synesthete) into My graphs; with `open`,
 * the last one good is also opened. Each refused file lists its problems and adds nothing.
 */
export async function importFiles(
  services: EditorServices,
  files: readonly File[],
  options: { open: boolean },
): Promise<void> {
  let last: { entry: SavedGraph; file: File } | undefined
  for (const file of files) {
    const found = await graphInFile(new Uint8Array(await file.arrayBuffer()), file.name)
    if (found.kind !== 'graph') {
      showProblems(services, `“${file.name}”`, [{ message: found.message, path: '' }])
      continue
    }
    const result = parseGraphText(found.text, services.registry)
    if (!result.ok) {
      showProblems(services, `“${file.name}”`, result.problems)
      continue
    }
    await attempt(services, async () => {
      const graph = result.graph
      const entry = await services.library.graphs.add(
        graph,
        nameFor(graph, file.name),
        graph.description ?? '',
      )
      last = { entry, file }
      for (const note of result.notes)
        services.ui.notify(`“${file.name}”: ${note}.`, 'info', undefined, 12_000)
    })
  }
  if (!last) return
  if (options.open) {
    await openEntry(services, last.entry)
    services.ui.notify(`Opened “${last.entry.name}” (also kept in My graphs).`)
  } else {
    services.library.ui.openBrowser('mine', last.entry.id)
    services.ui.notify(`Imported “${last.entry.name}” into My graphs.`)
  }
}
