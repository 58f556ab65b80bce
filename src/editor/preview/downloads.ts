import type { ExportContext, ExportFile } from '../../engine/define-node'
import type { GraphDocument, GraphNode } from '../../engine/document'
import type { FramesValue, Value } from '../../engine/values'
import { joinArrays } from '../../engine/join-arrays'
import type { FileResolver } from '../../engine/keys'
import { paramValues } from '../../engine/params'
import { collectProvenance, type ProvenanceRecord } from '../../engine/provenance'
import type { NodeRegistry } from '../../engine/registry'
import { writeNpyFloat32 } from '../../media/npy'
import { insertAfterHeader, textChunk } from '../../media/png-chunks'
import { pngProvenanceText } from '../../media/provenance'
import { exportedBytes, pngExport, safeFileStem, wavExport } from '../../media/output-files'
import { framesStem, videoExportFiles } from '../../media/frames-export'
import { isSpectra } from './frames-view'
import { spectrogramRaster } from './thumbs'
import { framesToWebm } from './video-export'

export interface Download {
  label: string
  fileName: string
  mime: string
  make: () => Promise<Uint8Array<ArrayBuffer>> | Uint8Array<ArrayBuffer>
}

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

/** NPY of any array value, shaped as numpy users expect (channels first). */
export function npyOf(value: Value): Uint8Array<ArrayBuffer> | undefined {
  switch (value.kind) {
    case 'audio':
      return own(
        writeNpyFloat32(joinArrays(Float32Array, value.channels), [
          value.channels.length,
          value.channels[0]?.length ?? 0,
        ]),
      )
    case 'spectrogram':
      return own(
        writeNpyFloat32(joinArrays(Float32Array, value.channels), [
          value.channels.length,
          value.bins,
          value.frames,
        ]),
      )
    case 'image':
      return own(
        writeNpyFloat32(joinArrays(Float32Array, value.channels), [
          value.channels.length,
          value.height,
          value.width,
        ]),
      )
    case 'frames':
      return own(
        writeNpyFloat32(joinArrays(Float32Array, value.frames.flat()), [
          value.frames.length,
          value.frames[0]?.length ?? 0,
          value.height,
          value.width,
        ]),
      )
    case 'latent':
      return own(writeNpyFloat32(value.data, value.shape))
    default:
      return undefined
  }
}

async function canvasPng(width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>) {
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('No 2D canvas available')
  context.putImageData(new ImageData(rgba, width, height), 0, 0)
  const blob = await canvas.convertToBlob({ type: 'image/png' })
  return new Uint8Array(await blob.arrayBuffer())
}

/** Pictures in frames (and their soundtrack) as a WebM video, `stem.webm`, made with WebCodecs. */
function webmDownload(value: FramesValue, stem: string): Download {
  return {
    label: 'WebM',
    fileName: `${stem}.webm`,
    mime: 'video/webm',
    make: () => framesToWebm(value),
  }
}

/** A file a node's definition exports, as a download: made when clicked. */
function exportedDownload(file: ExportFile): Download {
  return {
    label: file.label,
    fileName: file.fileName,
    mime: file.type,
    make: async () => own(await exportedBytes(file)),
  }
}

/**
 * What one output can be saved as. An output node's own files first, as its definition exports
 * them (the same files the CLI writes); else, by the value's kind, WAV for sound, PNG for
 * pictures and spectrograms, and a frame sequence's files; NPY for any array. Pictures in
 * frames can also be saved as WebM (made here, with WebCodecs), named as the node's first file.
 */
export function downloadsFor(
  outputs: Readonly<Record<string, Value>>,
  port: string,
  node: GraphNode,
  doc: GraphDocument,
  registry: NodeRegistry,
  files?: FileResolver,
): Download[] {
  const value = outputs[port]
  if (!value) return []
  // Every WAV and PNG carries the graph and its provenance, so a result remembers how it was made.
  const provenance = () => collectProvenance(doc, registry, { output: node.id, files })
  const stem = safeFileStem(node.label ?? `${node.id}-${port}`, 'x', 'output')
  const def = registry.get(node.type)
  const list: Download[] = []
  if (def?.export) {
    const ctx: ExportContext = { graph: doc, node: node.id, provenance }
    const exported = [...def.export(outputs, paramValues(def.params, node.params), ctx)]
    if (value.kind === 'frames' && !isSpectra(value)) {
      const named = exported[0]?.fileName.replace(/\.[^.]*$/, '') ?? stem
      list.push(webmDownload(value, named))
    }
    list.push(...exported.map(exportedDownload))
  } else list.push(...kindDownloads(value, stem, doc, provenance))
  if (value.kind !== 'number' && value.kind !== 'text') {
    list.push({
      label: 'NPY',
      fileName: `${stem}.npy`,
      mime: 'application/octet-stream',
      make: () => npyOf(value) ?? new Uint8Array(0),
    })
  }
  return list
}

/** What a value of its kind can be saved as, named `stem`, when its node exports nothing. */
function kindDownloads(
  value: Value,
  stem: string,
  doc: GraphDocument,
  provenance: () => Promise<ProvenanceRecord>,
): Download[] {
  const from = { graph: doc, provenance }
  if (value.kind === 'audio')
    return [exportedDownload(wavExport(value, { name: stem, format: 'pcm16' }, from))]
  if (value.kind === 'image' && [1, 3, 4].includes(value.channels.length))
    return [exportedDownload(pngExport(value, { name: stem }, from))]
  if (value.kind === 'frames') {
    // The files a Video Output named `stem` would write (grey with alpha has no PNG form).
    const files = videoExportFiles(value, { name: stem }, from).filter(
      (f) => f.type !== 'application/zip' || value.frames[0]?.length !== 2,
    )
    const webm = isSpectra(value) ? [] : [webmDownload(value, framesStem(stem))]
    return [...webm, ...files.map(exportedDownload)]
  }
  if (value.kind !== 'spectrogram') return []
  return [
    {
      label: 'PNG',
      fileName: `${stem}.png`,
      mime: 'image/png',
      make: async () => {
        const raster = spectrogramRaster(
          value,
          Math.min(value.frames, 4096),
          Math.min(value.bins, 2048),
        )
        const png = await canvasPng(raster.width, raster.height, raster.rgba)
        const text = pngProvenanceText(doc, await provenance())
        return own(
          insertAfterHeader(
            png,
            Object.entries(text).map(([k, v]) => textChunk(k, v)),
          ),
        )
      },
    },
  ]
}
