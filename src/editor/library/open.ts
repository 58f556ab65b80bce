import type { GraphDocument } from '../../engine/document'
import { canonicalJson } from '../../engine/hash'
import type { Problem, ValidationResult } from '../../engine/validate'
import { bundledPresets } from '../presets'
import type { EditorServices } from '../services'
import { takeUnfolded, withUnfolded } from '../nodes/open-settings'
import { settleView } from '../view-helpers'
import type { SavedGraph } from './graph-library'

/** What is being opened, in words: “First light”, “song.png”, a link. */
export interface OpenSource {
  what: string
  /** The My graphs entry it is, so Save updates that entry. */
  entryId?: string
}

/**
 * A graph's content for "is it kept?": its nodes (kind, settings, mode, label) and wiring,
 * without name, notes or positions. Opening lays nodes out again, so an example that was only
 * opened and looked at has other positions than the stored one, yet nothing of it was edited.
 */
export const contentOf = (graph: unknown): string => {
  const g = graph as Partial<GraphDocument> | null
  const nodes = (g?.nodes ?? []).map((n) => {
    const { position: _position, ...rest } = n
    return rest
  })
  return canonicalJson({ nodes, edges: g?.edges ?? [] })
}

/** A problem list's title: a newer file gets its own, since updating the app is the fix. */
export function problemsTitle(problems: readonly Problem[], what: string): string {
  const newer = problems.some((p) => p.path === 'version' && /newer Synesthete/.test(p.message))
  return newer ? `${what} was made by a newer Synesthete` : `${what} could not be opened`
}

export function showProblems(services: EditorServices, what: string, problems: Problem[]): void {
  services.ui.set({
    problems: {
      title: problemsTitle(problems, what),
      problems: [
        ...problems.map((p) => p.message),
        'Nothing was changed: your graph is as it was.',
      ],
    },
  })
}

/**
 * Keeps the open graph in My graphs before something replaces it, unless it is already kept:
 * empty, unchanged since it was opened or saved (moving nodes is no edit), or equal to a
 * bundled example. The person can always get back to what they had, even after a reload.
 */
export async function keepCurrent(
  services: EditorServices,
  reason: string,
): Promise<SavedGraph | undefined> {
  const doc = services.store.doc
  if (doc.nodes.length === 0) return undefined
  const content = contentOf(doc)
  const { graphs } = services.library
  if (!graphs.getSnapshot().loaded) await graphs.load()
  const kept =
    graphs.getSnapshot().entries.some((e) => contentOf(e.graph) === content) ||
    bundledPresets(services.registry).presets.some((p) => contentOf(p.graph) === content)
  if (kept) return undefined
  const name = `${doc.name ?? 'Untitled graph'} (before ${reason})`
  try {
    return await graphs.add(withUnfolded(doc, services.settings), name, doc.description ?? '')
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    services.ui.notify(`${why} Undo (Ctrl+Z) still brings your graph back.`, 'warn')
    return undefined
  }
}

/**
 * Opens a checked document in place of the open one, as one undo step, after keeping the open
 * one. A refused document opens nothing and lists its problems; migration notes are shown.
 */
export async function openChecked(
  services: EditorServices,
  result: ValidationResult,
  source: OpenSource,
): Promise<boolean> {
  if (!result.ok) {
    showProblems(services, source.what, result.problems)
    return false
  }
  const previous = await keepCurrent(services, `opening ${source.what}`)
  const { graph, unfolded } = takeUnfolded(result.graph)
  services.store.dispatch(
    { type: 'replace', graph },
    { label: `open ${graph.name ?? source.what}` },
  )
  services.library.ui.setCurrentId(source.entryId)
  for (const note of result.notes)
    services.ui.notify(
      `${source.what}: ${note}. Save it to keep the update.`,
      'info',
      undefined,
      12_000,
    )
  if (previous)
    services.ui.notify(
      `Your previous graph is in My graphs as “${previous.name}”.`,
      'info',
      undefined,
      8000,
    )
  void settleView(services, unfolded)
  return true
}
