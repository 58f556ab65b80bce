import { decodeOutputs } from '../../engine/codec'
import type { AudioValue } from '../../engine/values'
import { analyseLane, analysisTransferList, type LaneAnalysis } from './lane-analysis'

/** A lane to analyse: read from its cache Blob (no copy on the page), or sent as a copy. */
export type AnalysisRequest =
  { id: number; blob: Blob; port: string } | { id: number; audio: AudioValue }

export type AnalysisReply = { id: number; analysis: LaneAnalysis } | { id: number; error: string }

/** The room worker's side (analysis.worker.ts): one lane per request, errors as data. */
export async function answerAnalysis(
  request: AnalysisRequest,
): Promise<{ reply: AnalysisReply; transfer: ArrayBuffer[] }> {
  try {
    let audio: AudioValue
    if ('blob' in request) {
      const outputs = decodeOutputs(new Uint8Array(await request.blob.arrayBuffer()))
      const value = outputs[request.port] as { kind?: string } | undefined
      if (value?.kind !== 'audio') throw new Error(`No audio output "${request.port}" to analyse`)
      audio = value as AudioValue
    } else audio = request.audio
    const analysis = analyseLane(audio)
    return { reply: { id: request.id, analysis }, transfer: analysisTransferList(analysis) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { reply: { id: request.id, error: message }, transfer: [] }
  }
}
