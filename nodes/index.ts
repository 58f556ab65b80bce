import type { AnyNodeDefinition } from '../src/engine/define-node'
import { createRegistry } from '../src/engine/registry'
import { audioOutput } from './audio-output'
import { chirpSynth } from './chirp-synth'
import { imageOutput } from './image-output'
import { loadAudio } from './load-audio'
import { loadImage } from './load-image'
import { mix } from './mix'
import { normalize } from './normalize'
import { resizeImage } from './resize-image'
import { splitRgb } from './split-rgb'
import { stableDiffusion } from './stable-diffusion'
import { stft } from './stft'
import { griffinLim } from './griffin-lim'
import { phaseVocoder } from './phase-vocoder'
import { loopAudio } from './loop-audio'
import { loopFinder } from './loop-finder'
import { repaintLong } from './repaint-long'
import { riffusionDecode } from './riffusion-decode'
import { riffusionEncode } from './riffusion-encode'
import { saturation } from './saturation'
import { framesAdjust } from './frames-adjust'
import { imageAdjust } from './image-adjust'
import { spectrumFrames } from './spectrum-frames'
import { spectrumPicture } from './spectrum-picture'
import { stableDiffusionFrames } from './stable-diffusion-frames'
import { videoOutput } from './video-output'
import { encodeImage } from './encode-image'
import { decodeLatent } from './decode-latent'
import { joinLatents } from './join-latents'
import { shiftLatent } from './shift-latent'
import { cutLatent } from './cut-latent'

/** Every node kind Synesthete ships. Adding a node: one file in nodes/, one line here. */
export const allNodes: readonly AnyNodeDefinition[] = [
  loadAudio,
  loadImage,
  stft,
  spectrumFrames,
  normalize,
  spectrumPicture,
  riffusionEncode,
  stableDiffusion,
  repaintLong,
  stableDiffusionFrames,
  encodeImage,
  joinLatents,
  shiftLatent,
  cutLatent,
  decodeLatent,
  splitRgb,
  resizeImage,
  imageAdjust,
  framesAdjust,
  saturation,
  loopFinder,
  griffinLim,
  riffusionDecode,
  phaseVocoder,
  loopAudio,
  chirpSynth,
  mix,
  audioOutput,
  imageOutput,
  videoOutput,
]

export const registry = createRegistry(allNodes)
