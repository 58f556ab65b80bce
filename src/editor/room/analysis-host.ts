import { decodeOutputs } from '../../engine/codec'
import type { AudioValue } from '../../engine/values'
import {
  buildListenExport,
  listenZip,
  type ListenExportOptions,
  type ListenLaneSource,
} from '../../media/listen-export'
import type { OutputFile } from '../../media/output-files'
import { analyseLane, analysisTransferList, type LaneAnalysis } from './lane-analysis'

/** A lane's sound: read from its cache Blob (no copy on the page), or sent as a copy. */
export type LaneSource = { blob: Blob; port: string } | { audio: AudioValue }

export type ExportLane = Omit<ListenLaneSource, 'channels' | 'sampleRate'> & { source: LaneSource }

export type RoomWorkerRequest =
  | { id: number; type: 'analyse'; source: LaneSource }
  | {
      id: number
      type: 'export'
      lanes: ExportLane[]
      options: ListenExportOptions
      name: string
    }

export type RoomWorkerReply =
  | { id: number; analysis: LaneAnalysis }
  | { id: number; zip: OutputFile }
  | { id: number; error: string }

async function audioOf(source: LaneSource): Promise<AudioValue> {
  if (!('blob' in source)) return source.audio
  const outputs = decodeOutputs(new Uint8Array(await source.blob.arrayBuffer()))
  const value = outputs[source.port] as { kind?: string } | undefined
  if (value?.kind !== 'audio') throw new Error(`No audio output "${source.port}" to read`)
  return value as AudioValue
}

/**
 * The room worker's side (analysis.worker.ts): measures and draws a lane, or builds the export
 * zip (matched WAVs, contact sheet, listen.json), off the page; errors come back as data.
 */
export async function answerRoomRequest(
  request: RoomWorkerRequest,
): Promise<{ reply: RoomWorkerReply; transfer: ArrayBuffer[] }> {
  try {
    if (request.type === 'analyse') {
      const analysis = analyseLane(await audioOf(request.source))
      return { reply: { id: request.id, analysis }, transfer: analysisTransferList(analysis) }
    }
    const lanes: ListenLaneSource[] = []
    for (const { source, ...lane } of request.lanes) {
      const audio = await audioOf(source)
      lanes.push({ ...lane, sampleRate: audio.sampleRate, channels: audio.channels })
    }
    const zip = listenZip(buildListenExport(lanes, request.options), request.name)
    return { reply: { id: request.id, zip }, transfer: [zip.bytes.buffer as ArrayBuffer] }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { reply: { id: request.id, error: message }, transfer: [] }
  }
}
