import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UserError } from '../engine/errors'
import type { HostDecoded } from '../media/transcode'

/** Longer than Load Audio's largest max duration, so that node refuses it with its own words. */
const MAX_SECONDS = 3601

/**
 * Decodes a sound file our WASM decoders cannot read (M4A/AAC, Opus in WebM…) with ffmpeg, when
 * it is on PATH: the file is written to a temporary folder (an M4A's index may sit at its end,
 * which ffmpeg cannot reach on a pipe), 32-bit float samples come out interleaved on stdout
 * (`-f f32le`) at the file's own rate and channel count, which ffmpeg's output stream line on
 * stderr gives (`Stream #0:0: Audio: pcm_f32le, 44100 Hz, stereo, flt`).
 */
export async function ffmpegDecode(
  bytes: Uint8Array,
  name: string,
  what: string,
): Promise<HostDecoded> {
  const label = name ? `"${name}"` : 'The file'
  const { stdout, stderr, code, missing } = await runFfmpeg(bytes)
  if (missing)
    throw new UserError(
      `${label} is ${what}; the command line decodes it with ffmpeg, which is not on PATH.`,
      'Install ffmpeg (e.g. apt-get install ffmpeg) and run again, or convert the file to WAV or FLAC.',
    )
  const format = /Output #0[\s\S]*?Audio: pcm_f32le, (\d+) Hz, ([^,\n]+)/.exec(stderr)
  if (code !== 0 || !format) {
    const detail = stderr.trim().split('\n').slice(-1)[0] ?? ''
    throw new UserError(
      `${label} is ${what}, but ffmpeg could not decode it${detail ? ` (ffmpeg: ${detail})` : ''}.`,
      'Check that the file plays in another program; if it does not, get or export it again.',
    )
  }
  const sampleRate = Number(format[1])
  const channelCount = channelsOf(format[2])
  // A copy of its own: Node's Buffers may start at an offset a Float32Array cannot view.
  const samples = new Float32Array(new Uint8Array(stdout).buffer, 0, Math.floor(stdout.length / 4))
  const frames = Math.floor(samples.length / channelCount)
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames))
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channelCount; c++) channels[c][i] = samples[i * channelCount + c]
  return { sampleRate, channels }
}

/** ffmpeg's channel layout words: "mono", "stereo", "5.1(side)", or "3 channels". */
function channelsOf(layout: string): number {
  const named: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, quad: 4, '5.0': 5 }
  const counted = /(\d+) channels/.exec(layout)
  if (counted) return Number(counted[1])
  const base = layout.trim().replace(/\(.*\)$/, '')
  if (named[base]) return named[base]
  const surround = /^(\d+)\.(\d+)$/.exec(base)
  return surround ? Number(surround[1]) + Number(surround[2]) : 2
}

async function runFfmpeg(
  bytes: Uint8Array,
): Promise<{ stdout: Buffer; stderr: string; code: number | null; missing: boolean }> {
  const folder = await mkdtemp(join(tmpdir(), 'synesthete-ffmpeg-'))
  const input = join(folder, 'input')
  try {
    await writeFile(input, bytes)
    return await new Promise((resolve) => {
      const args = ['-hide_banner', '-nostdin', '-i', input, '-t', String(MAX_SECONDS), '-vn']
      const child = spawn(process.env.FFMPEG ?? 'ffmpeg', [...args, '-f', 'f32le', 'pipe:1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const out: Buffer[] = []
      let err = ''
      let missing = false
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      child.on('error', (error: NodeJS.ErrnoException) => {
        missing = error.code === 'ENOENT'
      })
      child.on('close', (code) =>
        resolve({ stdout: Buffer.concat(out), stderr: err, code, missing }),
      )
    })
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
