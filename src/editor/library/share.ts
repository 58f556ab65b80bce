import type { GraphDocument } from '../../engine/document'
import { LONG_LINK_CHARS, readShareFragment, shareUrl } from '../../engine/share-link'
import { parseFileRef } from '../../runtime/file-store'
import type { EditorServices } from '../services'
import { takeUnfolded, withUnfolded } from '../nodes/open-settings'
import { openChecked, showProblems } from './open'

/** Files a graph takes from the browser's own store (`blob:` references), by node name. */
function blobFiles(graph: GraphDocument, services: EditorServices) {
  return graph.nodes.flatMap((node) => {
    const def = services.registry.get(node.type)
    return Object.entries(def?.params ?? {}).flatMap(([param, spec]) => {
      const parsed = parseFileRef(String(node.params[param] ?? ''))
      if (spec.type !== 'file' || parsed.scheme !== 'blob') return []
      return [{ node: node.label ?? def?.title ?? node.id, name: parsed.name ?? 'a file' }]
    })
  })
}

/** What a link to this graph does not carry, in words, for the share dialog. */
export function localFilesIn(graph: GraphDocument, services: EditorServices): string[] {
  const files = blobFiles(graph, services).map(
    ({ node, name }) =>
      `“${node}” uses “${name}” from this computer: the link does not carry it, so whoever opens the link drops their own file on that node.`,
  )
  const folders = graph.nodes.flatMap((node) =>
    Object.values(node.params)
      .filter((v): v is string => typeof v === 'string' && v.startsWith('folder:'))
      .map(
        (v) =>
          `“${node.label ?? node.id}” uses a model from a folder on this computer (${v.slice(7)}): others choose their own.`,
      ),
  )
  return [...files, ...folders]
}

/** Makes the link, copies it, and shows it with what it does not carry. */
export async function shareCurrent(services: EditorServices): Promise<void> {
  const doc = services.store.doc
  const url = await shareUrl(window.location.href, withUnfolded(doc, services.settings))
  const notes = localFilesIn(doc, services)
  if (url.length > LONG_LINK_CHARS)
    notes.push(
      `The link is ${url.length.toLocaleString('en')} characters long; some chat apps cut links that long. Export the graph as a file instead if it arrives broken.`,
    )
  let copied = false
  try {
    await navigator.clipboard.writeText(url)
    copied = true
  } catch {
    // The browser refused (no permission or no focus): the dialog lets the person copy it.
  }
  services.library.ui.set({
    share: { url, copied, notes },
  })
}

function clearFragment(): void {
  const { pathname, search } = window.location
  window.history.replaceState(window.history.state, '', `${pathname}${search}`)
}

/**
 * Opens the graph a link carries, if the address has one: the open graph is kept in My graphs
 * first (unless already kept), and a link that cannot be read changes nothing. The fragment is
 * then removed, so a reload shows the graph as edited since, not the link again.
 */
export async function openLinkInAddress(services: EditorServices): Promise<void> {
  const result = await readShareFragment(window.location.hash, services.registry)
  if (!result) return
  clearFragment()
  if (!result.ok) {
    showProblems(services, 'This link', result.problems)
    return
  }
  const same =
    JSON.stringify(takeUnfolded(result.graph).graph) === JSON.stringify(services.store.doc)
  if (same) return
  if (!(await openChecked(services, result, { what: 'a link' }))) return
  for (const { node, name } of blobFiles(result.graph, services))
    services.ui.notify(
      `Links carry graphs, not files: “${name}” stayed on the sender’s computer. If “${node}” asks for it, drop a file of yours on it.`,
      'info',
      undefined,
      12_000,
    )
}

/** Follows links pasted into the address bar of an open editor (only the fragment changes). */
export function followLinks(services: EditorServices): () => void {
  const onHash = () => void openLinkInAddress(services)
  window.addEventListener('hashchange', onHash)
  return () => window.removeEventListener('hashchange', onHash)
}
