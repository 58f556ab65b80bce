import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { bool, file, float, int } from '../src/engine/params'
import { resample } from '../src/dsp/resample'
import { decodeAudio, LONGEST_AUDIO_SEC } from '../src/media/decode-audio'
import { sniff } from '../src/media/sniff'

/** Averages the channels into one, (Σ c) / C summed in float64, so full scale stays full scale. */
function mixToMono(channels: Float32Array[]): Float32Array[] {
  if (channels.length <= 1) return channels
  const sum = new Float64Array(channels[0].length)
  for (const channel of channels) for (let i = 0; i < sum.length; i++) sum[i] += channel[i]
  return [Float32Array.from(sum, (v) => v / channels.length)]
}

export const loadAudio = defineNode({
  type: 'audio/load',
  version: 1,
  title: 'Load Audio',
  category: 'Sources',
  description:
    'Reads a WAV, MP3, Ogg Vorbis, Ogg Opus or FLAC file; M4A/AAC, WebM and whatever else the browser decodes in the editor (through ffmpeg on the command line). Can mix it down to mono and resample it.',
  inputs: {},
  outputs: { audio: 'audio' },
  params: {
    file: file('audio', {
      default: 'sample:synesthete-demo.wav',
      label: 'File',
      description: 'The sound to start from: drop a file on the node or choose one.',
    }),
    mixdown: bool(false, {
      label: 'Mix to mono',
      description: 'Average all channels into one.',
    }),
    sampleRateHz: int(0, {
      min: 0,
      max: 384000,
      label: 'Sample rate',
      unit: 'Hz',
      description: "0 keeps the file's own rate; any other value resamples to it.",
    }),
    maxDurationSec: float(600, {
      min: 1,
      max: LONGEST_AUDIO_SEC,
      label: 'Max duration',
      unit: 's',
      description: 'Longer files are refused rather than filling memory.',
    }),
  },
  runtime: 'cpu',
  // What it decodes itself, and sound in containers the browser (or ffmpeg) decodes for it.
  accepts: (head) => ['audio', 'unsupported-audio'].includes(sniff(head).kind),
  run: async (_inputs, params, ctx) => {
    const chosen = params.file
    if (!chosen)
      throw new UserError(
        'No audio file chosen.',
        'Drop a sound file (WAV, MP3, Ogg Vorbis or Opus, FLAC, M4A…) on the node, or choose one.',
      )
    ctx.progress(0, 'Decoding')
    const decoded = await decodeAudio(chosen.bytes, {
      maxDurationSec: params.maxDurationSec,
      name: chosen.name,
      signal: ctx.signal,
    })
    let channels = params.mixdown ? mixToMono(decoded.channels) : decoded.channels
    let sampleRate = decoded.sampleRate
    const target = params.sampleRateHz
    if (target > 0 && target !== sampleRate) {
      const resampled: Float32Array[] = []
      for (const [c, channel] of channels.entries()) {
        if (ctx.signal.aborted) throw new CancelledError()
        ctx.progress(0.5 + (0.5 * c) / channels.length, 'Resampling')
        resampled.push(resample(channel, sampleRate, target))
      }
      channels = resampled
      sampleRate = target
    }
    const damage = decoded.damage
    if (damage) {
      const { message, ...figures } = damage
      const data = Object.fromEntries(
        Object.entries(figures).filter((entry) => entry[1] !== undefined),
      ) as Record<string, number | boolean>
      ctx.warn?.({ code: 'audio/damaged', message, data })
    }
    ctx.progress(1)
    return { audio: { kind: 'audio', sampleRate, channels } }
  },
})
