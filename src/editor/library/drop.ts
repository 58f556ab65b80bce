import { graphInFile, mayCarryGraph } from '../../media/graph-file'
import { headOf } from '../controls/file-actions'
import type { ProvenanceRecord } from '../../media/provenance'
import { sniff } from '../../media/sniff'
import type { EditorServices } from '../services'
import { importFiles } from './library-actions'

/** Where a result came from, in a sentence: its source files, models and seeds. */
export function describeProvenance(p: ProvenanceRecord | undefined): string {
  if (!p) return ''
  const parts: string[] = []
  const when = p.createdAt.slice(0, 10)
  if (p.sources.length > 0) parts.push(`from ${p.sources.map((s) => `“${s.name}”`).join(', ')}`)
  if (p.models.length > 0) parts.push(`model ${p.models.map((m) => m.model).join(', ')}`)
  if (p.seeds.length > 0) parts.push(`seed ${p.seeds.map((s) => s.seed).join(', ')}`)
  return ` Made on ${when}${parts.length > 0 ? `, ${parts.join('; ')}` : ''}.`
}

/**
 * A file dropped on the empty canvas that is a graph, or carries one: a graph file (JSON, a
 * share link, a zip) opens (and is kept in My graphs); a PNG or WAV made by Synesthete asks whether to open its graph or to use
 * the picture or sound itself. Returns false when the drop should load the file as media.
 */
export async function dropGraphFile(services: EditorServices, file: File): Promise<boolean> {
  // Judged from the first bytes before reading the whole file. JSON, text (a share link) and
  // zips are graph files, or get told why not; of media, only a PNG or WAV can carry one.
  const head = await headOf(file)
  const sniffed = sniff(head)
  if (sniffed.kind === 'other' && sniffed.format) {
    await importFiles(services, [file], { open: true })
    return true
  }
  if (!mayCarryGraph(head)) return false
  const found = await graphInFile(new Uint8Array(await file.arrayBuffer()), file.name)
  if (found.kind !== 'graph') return false
  const thing = found.container === 'png' ? 'picture' : 'sound'
  const choice = await services.library.ui.ask({
    title: `“${file.name}” carries the graph that made it`,
    message: `Open that graph in place of yours, or use the ${thing} itself in this graph?${describeProvenance(found.provenance)} If you open it, your graph is kept in My graphs.`,
    choices: [
      { id: 'open', label: 'Open its graph', primary: true },
      { id: 'use', label: `Use the ${thing}` },
      { id: 'cancel', label: 'Cancel' },
    ],
  })
  if (choice === 'open') await importFiles(services, [file], { open: true })
  return choice !== 'use'
}
