import type { GraphDocument, GraphNode } from '../../engine/document'
import type { Value } from '../../engine/values'
import type { FileResolver } from '../../engine/keys'
import type { NodeRegistry } from '../../engine/registry'
import { writeNpyFloat32 } from '../../media/npy'
import { insertAfterHeader, textChunk } from '../../media/png-chunks'
import { collectProvenance, pngProvenanceText, wavProvenanceChunks } from '../../media/provenance'
import { audioOutputFile, imageOutputFile, safeFileStem } from '../../media/output-files'
import type { WavEncoding } from '../../media/wav'
import { framesDownloads } from './frames-downloads'
import { spectrogramRaster } from './thumbs'

export interface Download {
  label: string
  fileName: string
  mime: string
  make: () => Promise<Uint8Array<ArrayBuffer>> | Uint8Array<ArrayBuffer>
}

function concat(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0))
  let at = 0
  for (const a of arrays) {
    out.set(a, at)
    at += a.length
  }
  return out
}

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

/** NPY of any array value, shaped as numpy users expect (channels first). */
export function npyOf(value: Value): Uint8Array<ArrayBuffer> | undefined {
  switch (value.kind) {
    case 'audio':
      return own(
        writeNpyFloat32(concat(value.channels), [
          value.channels.length,
          value.channels[0]?.length ?? 0,
        ]),
      )
    case 'spectrogram':
      return own(
        writeNpyFloat32(concat(value.channels), [value.channels.length, value.bins, value.frames]),
      )
    case 'image':
      return own(
        writeNpyFloat32(concat(value.channels), [value.channels.length, value.height, value.width]),
      )
    case 'frames':
      return own(
        writeNpyFloat32(concat(value.frames.flat()), [
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

/** What one output can be saved as: WAV for sound, PNG for pictures, NPY for any array. */
export function downloadsFor(
  value: Value,
  node: GraphNode,
  port: string,
  doc: GraphDocument,
  registry: NodeRegistry,
  files?: FileResolver,
): Download[] {
  // Every WAV and PNG carries the graph and its provenance, so a result remembers how it was made.
  const provenance = () => collectProvenance(doc, registry, { output: node.id, files })
  const stem = safeFileStem(node.label ?? `${node.id}-${port}`, 'x', 'output')
  const list: Download[] = []
  if (value.kind === 'audio') {
    const isOutput = node.type === 'audio/output'
    const name = isOutput ? String(node.params.name ?? stem) : stem
    const format = (isOutput ? node.params.format : 'pcm16') as WavEncoding
    list.push({
      label: 'WAV',
      fileName: `${safeFileStem(name, 'wav')}.wav`,
      mime: 'audio/wav',
      make: async () => {
        const chunks = wavProvenanceChunks(doc, await provenance())
        return own(audioOutputFile(value, { name, format }, chunks).bytes)
      },
    })
  }
  if (value.kind === 'image' && [1, 3, 4].includes(value.channels.length)) {
    const name = node.type === 'image/output' ? String(node.params.name ?? stem) : stem
    list.push({
      label: 'PNG',
      fileName: `${safeFileStem(name, 'png')}.png`,
      mime: 'image/png',
      make: async () =>
        own(imageOutputFile(value, { name }, pngProvenanceText(doc, await provenance())).bytes),
    })
  }
  if (value.kind === 'spectrogram') {
    list.push({
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
    })
  }
  if (value.kind === 'frames') list.push(...framesDownloads(value, node, stem, doc, provenance))
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
