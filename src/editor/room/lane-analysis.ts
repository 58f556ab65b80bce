import type { AudioValue } from '../../engine/values'
import { laneOverview, OVERVIEW_COLUMNS, type LaneOverview } from '../../media/lane-overview'
import { peakOf, waveformPeaks, type Peaks } from '../preview/thumbs'

/** What the room draws and matches for one lane: a few hundred kB, whatever its length. */
export interface LaneAnalysis extends LaneOverview {
  durationSec: number
  sampleRate: number
  channels: number
  peaks: Peaks
  /** Largest absolute sample. */
  peak: number
}

/** The whole analysis of a lane; run in the room's worker (analysis.worker.ts). */
export function analyseLane(audio: AudioValue): LaneAnalysis {
  const frames = audio.channels[0]?.length ?? 0
  const peaks = waveformPeaks(audio, OVERVIEW_COLUMNS)
  return {
    ...laneOverview(audio),
    durationSec: frames / audio.sampleRate,
    sampleRate: audio.sampleRate,
    channels: audio.channels.length,
    peaks,
    peak: peakOf(peaks),
  }
}

export function analysisTransferList(a: LaneAnalysis): ArrayBuffer[] {
  return [
    a.peaks.min.buffer,
    a.peaks.max.buffer,
    a.spectrogram.linear.buffer,
    a.spectrogram.log.buffer,
  ] as ArrayBuffer[]
}
