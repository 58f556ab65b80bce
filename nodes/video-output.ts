import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { text } from '../src/engine/params'
import { checkFrames, framesDurationSec } from '../src/media/frames'
import { framesStem, muxCommand, videoExportFiles } from '../src/media/frames-export'

/**
 * Marks frames to export as a video, with the sound to play along. It passes the frames on
 * with the audio attached as their soundtrack. `export` gives a PNG zip and WAV (spectra: CSV
 * and JSON), which the CLI writes, printing the ffmpeg command that joins them; the editor
 * offers them too, beside the WebM it makes of any frame sequence (WebCodecs).
 */
export const videoOutput = defineNode({
  type: 'frames/output',
  version: 1,
  title: 'Video Output',
  category: 'Outputs',
  description:
    'Exports frames as a video with the sound connected as its soundtrack: WebM in the browser; on the command line a zip of PNGs and a WAV to join with ffmpeg (the command is printed).',
  inputs: { frames: 'frames', audio: { kind: 'audio', optional: true, label: 'Soundtrack' } },
  outputs: { video: 'frames' },
  params: {
    name: text('video', {
      label: 'File name',
      description: 'Name of the exported files; ".webm", ".zip" and ".wav" are added.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ frames, audio }, _params, ctx) => {
    checkFrames(frames, 'Video Output')
    const soundtrack = audio ?? frames.audio
    if (soundtrack && (soundtrack.channels.length === 0 || !(soundtrack.sampleRate >= 1)))
      throw new UserError('Video Output: the soundtrack is empty.', 'Connect a sound, or nothing.')
    const video = { ...frames, ...(soundtrack ? { audio: soundtrack } : {}) }
    const soundSec = soundtrack ? (soundtrack.channels[0]?.length ?? 0) / soundtrack.sampleRate : 0
    if (soundSec > framesDurationSec(frames) + 0.5)
      ctx.progress(1, 'The sound is longer than the frames: the video ends with the last frame.')
    return { video }
  },
  export: ({ video }, { name }, ctx) => {
    if (!video.binHz) ctx.note?.(`video: ${muxCommand(video, name, ctx.folder)}`)
    return videoExportFiles(video, { name }, ctx)
  },
  // The pictures' zip; spectra's CSV and the soundtrack's WAV depend on the result.
  exportNames: ({ name }) => [`${framesStem(name)}.zip`],
})
