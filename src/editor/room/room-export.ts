import { downloadBlob } from '../actions'
import { collectProvenance, pngProvenanceText, wavProvenanceChunks } from '../../media/provenance'
import { laneFormat, lanesByDefault } from '../../media/listen-export'
import type { EditorServices } from '../services'
import { storedRef } from '../run/run-store'
import type { RoomSession } from './session'

/**
 * Downloads the room as one zip: each lane as a loudness-matched WAV, the contact sheet PNG and
 * listen.json (src/media/listen-export.ts, the same files as `npm run render -- --listen`). Every
 * WAV carries the graph and the provenance of the node it plays, the sheet those of the graph,
 * as every export does. Built in the room's worker: a 10-minute lane is not encoded on the page.
 */
export async function exportRoom(services: EditorServices, session: RoomSession): Promise<void> {
  const { store, registry, ui } = services
  const doc = store.doc
  const snapshot = session.getSnapshot()
  const lanes = snapshot.lanes.filter((l) => l.audio)
  if (lanes.length === 0) {
    ui.notify('No lane has a sound to export yet: run the graph first.', 'info')
    return
  }
  const left = snapshot.lanes.length - lanes.length
  if (left > 0)
    ui.notify(
      `${left} lane${left > 1 ? 's have' : ' has'} no sound yet and ${left > 1 ? 'are' : 'is'} left out.`,
      'warn',
    )
  const files = services.runtime()?.files.resolve
  ui.notify(`Exporting ${lanes.length} lanes…`, 'info', undefined, 3000)
  try {
    const sources = await Promise.all(
      lanes.map(async (lane) => {
        const audio = lane.audio as NonNullable<typeof lane.audio>
        // A lane still being measured (its node just re-ran) is waited for, not left out.
        const stored = storedRef(services.runs.get(lane.node), lane.port)
        const { loudness } = await session.analyser.analyse(audio, stored)
        const record = await collectProvenance(doc, registry, { output: lane.node, files })
        const node = doc.nodes.find((n) => n.id === lane.node)
        const format = node && lanesByDefault(registry.get(node.type)) ? laneFormat(node) : 'pcm16'
        return {
          node: lane.node,
          label: lane.name,
          audio,
          stored,
          measure: loudness,
          format,
          wavChunks: wavProvenanceChunks(doc, record),
        }
      }),
    )
    const sheetText = pngProvenanceText(doc, await collectProvenance(doc, registry, { files }))
    const name = `${doc.name ?? 'graph'} listening room`
    const zip = await session.analyser.exportZip(
      sources,
      { targetLufs: snapshot.room.targetLufs, sheetText },
      name,
    )
    downloadBlob(new Uint8Array(zip.bytes), 'application/zip', zip.fileName)
  } catch (error) {
    ui.notify(
      `Could not export the room: ${error instanceof Error ? error.message : String(error)}`,
      'error',
    )
  }
}
