import { defineNode } from '../src/engine/define-node'
import { choice, text } from '../src/engine/params'
import { wavExport, wavFileName } from '../src/media/output-files'

/**
 * Marks audio to export. It passes the audio through, so the editor can preview it; `export`
 * gives the WAV (carrying the graph) that the CLI writes and the editor offers.
 */
export const audioOutput = defineNode({
  type: 'audio/output',
  version: 1,
  title: 'Audio Output',
  category: 'Outputs',
  description: 'Exports its input as a WAV file (and lets the editor play it).',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio' },
  params: {
    name: text('output', {
      label: 'File name',
      description: 'Name of the exported file; ".wav" is added.',
    }),
    format: choice('pcm16', ['pcm16', 'pcm24', 'float32'], {
      label: 'Format',
      description: '16-bit suits listening; 24-bit and 32-bit float keep more detail for editing.',
      optionLabels: { pcm16: '16-bit PCM', pcm24: '24-bit PCM', float32: '32-bit float' },
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ audio }) => {
    return { audio }
  },
  export: ({ audio }, params, ctx) => [wavExport(audio, params, ctx)],
  exportNames: ({ name }) => [wavFileName(name)],
})
