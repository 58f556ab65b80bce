/**
 * ffmpeg's `ebur128` filter as the reference meter: integrated loudness from the filter's last
 * frame metadata (`lavfi.r128.I`, three decimals; the summary prints one) and the true peak from
 * its summary (`Peak: … dBFS`, one decimal; it oversamples to 192 kHz with swresample). ffmpeg
 * reports silence as −70 LUFS and −inf dBFS; both come back as null here, as our meter says.
 */
import { spawnSync } from 'node:child_process'

export interface FfmpegLoudness {
  integratedLufs: number | null
  truePeakDbtp: number | null
}

/** Whether an `ffmpeg` executable answers on PATH. */
export function hasFfmpeg(): boolean {
  return spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0
}

export function ffmpegVersion(): string {
  const out = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' }).stdout
  return out.split('\n')[0] ?? 'unknown'
}

/** Measures a file with `ffmpeg -af ebur128=peak=true:metadata=1`. */
export function ffmpegLoudness(path: string): FfmpegLoudness {
  const run = spawnSync(
    'ffmpeg',
    [
      '-nostats',
      '-hide_banner',
      '-i',
      path,
      '-af',
      'ebur128=peak=true:metadata=1,ametadata=print:file=-',
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
  if (run.status !== 0) throw new Error(`ffmpeg failed on ${path}: ${run.stderr.slice(-800)}`)
  const values = [...run.stdout.matchAll(/lavfi\.r128\.I=(-?[\d.]+|-?inf)/g)]
  const last = values.at(-1)?.[1]
  const peak = /Peak:\s+(-?[\d.]+|-inf)\s+dBFS/.exec(run.stderr)?.[1]
  if (last === undefined || peak === undefined)
    throw new Error(`ffmpeg printed no loudness for ${path}: ${run.stderr.slice(-800)}`)
  const lufs = Number(last)
  return {
    // −70 is ffmpeg's floor: nothing passed the absolute gate.
    integratedLufs: Number.isFinite(lufs) && lufs > -70 ? lufs : null,
    truePeakDbtp: peak === '-inf' ? null : Number(peak),
  }
}
