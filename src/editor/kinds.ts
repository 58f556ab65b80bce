import type { ValueKind } from '../engine/values'

/** One colour per value kind, shared by sockets, connections and the legend. */
export const KIND_COLORS: Record<ValueKind, string> = {
  audio: '#4fc3a1',
  spectrogram: '#e0a458',
  image: '#c38cf0',
  frames: '#f08cc8',
  latent: '#e07a8a',
  number: '#8fb8ff',
  text: '#d8d27a',
}

export const KIND_LABELS: Record<ValueKind, string> = {
  audio: 'Audio',
  spectrogram: 'Spectrogram',
  image: 'Image',
  frames: 'Frames',
  latent: 'Latent',
  number: 'Number',
  text: 'Text',
}

export const KIND_HINTS: Record<ValueKind, string> = {
  audio: 'Sound: samples over time',
  spectrogram: 'Sound as frequencies over time',
  image: 'A picture',
  frames: 'Pictures over time, e.g. a video (may carry its soundtrack)',
  latent: 'Stable Diffusion’s compressed picture',
  number: 'A single number',
  text: 'Words, such as a prompt',
}
