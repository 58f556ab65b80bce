/**
 * What the listening room measures and draws of a lane, whatever its length: its loudness as
 * heard (a three-channel reading as its stereo downmix, `rgbToStereo`), and its spectrogram as a
 * fixed-size picture of levels on a fixed dBFS scale (so levels compare across lanes). Made in
 * the room's worker; the page gets a few hundred kB.
 */
import { matchLoudness, measureLoudness, type LoudnessMeasure } from '../dsp/loudness'
import { rgbToStereo } from '../dsp/rgb-stereo'
import { spectrogramOverview } from '../dsp/spectrogram-overview'
import type { AudioValue } from '../engine/values'

/** Columns of a lane's overview, whatever its length. */
export const OVERVIEW_COLUMNS = 2048
export const SPECTROGRAM_ROWS = 160
/** The level range a spectrogram's colours span, in dBFS. */
export const SPECTROGRAM_FLOOR_DB = -100
export const SPECTROGRAM_TOP_DB = 0
export const LOG_MIN_HZ = 30

export interface LaneOverview {
  /** Measured as heard: a three-channel (RGB) reading as its stereo downmix. */
  loudness: LoudnessMeasure
  /** Levels 0..255 over SPECTROGRAM_FLOOR_DB..TOP_DB, row-major, row 0 the lowest frequency. */
  spectrogram: { columns: number; rows: number; linear: Uint8Array; log: Uint8Array }
}

const SILENCE: LoudnessMeasure = { integratedLufs: null, truePeakDbtp: null }

export function laneOverview(audio: AudioValue): LaneOverview {
  const frames = audio.channels[0]?.length ?? 0
  if (frames === 0) {
    const empty = new Uint8Array(OVERVIEW_COLUMNS * SPECTROGRAM_ROWS)
    return {
      loudness: SILENCE,
      spectrogram: {
        columns: OVERVIEW_COLUMNS,
        rows: SPECTROGRAM_ROWS,
        linear: empty,
        log: empty.slice(),
      },
    }
  }
  const heard = audio.channels.length === 3 ? rgbToStereo(audio.channels) : audio.channels
  const overview = spectrogramOverview(audio.channels, audio.sampleRate, {
    columns: OVERVIEW_COLUMNS,
    rows: SPECTROGRAM_ROWS,
    fftSize: audio.sampleRate > 32_000 ? 2048 : 1024,
    framesPerColumn: 4,
    minHz: LOG_MIN_HZ,
  })
  return {
    loudness: measureLoudness(heard, audio.sampleRate),
    spectrogram: {
      columns: OVERVIEW_COLUMNS,
      rows: SPECTROGRAM_ROWS,
      linear: toLevels(overview.linear),
      log: toLevels(overview.log),
    },
  }
}

function toLevels(db: Float32Array): Uint8Array {
  const out = new Uint8Array(db.length)
  const span = SPECTROGRAM_TOP_DB - SPECTROGRAM_FLOOR_DB
  for (let i = 0; i < db.length; i++) {
    const t = (db[i] - SPECTROGRAM_FLOOR_DB) / span
    out[i] = Math.round(255 * Math.max(0, Math.min(1, t)))
  }
  return out
}

/**
 * Gains (dB) that play every measured lane at the same integrated loudness (the quietest lane's,
 * or `targetLufs`), never past −1 dBTP; 0 where matching is off or a lane is not measured yet.
 */
export function roomGains(
  measures: readonly (LoudnessMeasure | undefined)[],
  options: { match: boolean; targetLufs?: number },
): number[] {
  const out = measures.map(() => 0)
  if (!options.match) return out
  const measured = measures.flatMap((m, i) => (m ? [{ i, m }] : []))
  const gains = matchLoudness(
    measured.map(({ m }) => m),
    { targetLufs: options.targetLufs, ceilingDbtp: -1 },
  )
  measured.forEach(({ i }, k) => (out[i] = gains[k]))
  return out
}
