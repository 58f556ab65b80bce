import type { GraphDocument, GraphNode } from '../../engine/document'
import type { FramesValue } from '../../engine/values'
import { framesZip } from '../../media/frames-export'
import { audioOutputFile, safeFileStem } from '../../media/output-files'
import {
  pngProvenanceText,
  wavProvenanceChunks,
  type ProvenanceRecord,
} from '../../media/provenance'
import { spectraCsv } from '../../media/spectra-csv'
import type { Download } from './downloads'
import { isSpectra } from './frames-view'
import { framesToWebm } from './video-export'

const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

/**
 * What a frame sequence can be saved as: spectra as CSV; pictures as a WebM video (with the
 * soundtrack) and as a zip of PNGs; the soundtrack alone as WAV (NPY comes with every value).
 * Every PNG in the zip and the WAV carry `doc` and its provenance, as all exported PNGs and
 * WAVs do; the WebM and the CSV do not.
 */
export function framesDownloads(
  value: FramesValue,
  node: GraphNode,
  stem: string,
  doc: GraphDocument,
  provenance: () => Promise<ProvenanceRecord>,
): Download[] {
  const name = safeFileStem(
    node.type === 'frames/output' ? String(node.params.name ?? stem) : stem,
    'zip',
    stem,
  )
  const list: Download[] = []
  if (isSpectra(value)) {
    list.push({
      label: 'CSV',
      fileName: `${name}.csv`,
      mime: 'text/csv',
      make: () => own(new TextEncoder().encode(spectraCsv(value))),
    })
  } else {
    list.push({
      label: 'WebM',
      fileName: `${name}.webm`,
      mime: 'video/webm',
      make: () => framesToWebm(value),
    })
  }
  if (!isSpectra(value) && value.frames[0]?.length !== 2) {
    list.push({
      label: 'PNG zip',
      fileName: `${name}.zip`,
      mime: 'application/zip',
      make: async () =>
        own(framesZip(value, name, pngProvenanceText(doc, await provenance())).bytes),
    })
  }
  const audio = value.audio
  if (audio) {
    list.push({
      label: 'WAV',
      fileName: `${name}.wav`,
      mime: 'audio/wav',
      make: async () => {
        const chunks = wavProvenanceChunks(doc, await provenance())
        return own(audioOutputFile(audio, { name, format: 'pcm16' }, chunks).bytes)
      },
    })
  }
  return list
}
