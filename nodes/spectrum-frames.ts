import { initFastFft } from '../src/dsp/fft'
import {
  levelsToUnit,
  logBinFrequencies,
  postBinIndices,
  postSpectrumFrames,
  spectrumFrameCount,
  spectrumFrames as analyse,
} from '../src/dsp/spectrum-frames'
import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { choice, float, int } from '../src/engine/params'
import type { FramesValue } from '../src/engine/values'

/**
 * Audio → one spectrum per video frame. The output is a frame sequence whose frames are one
 * row of `bins` grey pixels (column k = the level at binHz[k], low to high), so it previews,
 * exports (CSV, PNG, NPY) and flows like any other frames; renderers draw it as pictures.
 */
export const spectrumFrames = defineNode({
  type: 'frames/spectrum',
  version: 1,
  title: 'Spectrum Frames',
  category: 'Analysis',
  description:
    'Chops a sound into video frames and measures each one’s spectrum at log-spaced frequencies (like piano keys): one row of levels per frame, for renderers to draw, or to export as CSV.',
  inputs: { audio: 'audio' },
  outputs: { spectra: 'frames' },
  params: {
    fps: float(24, {
      min: 1,
      max: 120,
      step: 1,
      unit: 'fps',
      label: 'Frame rate',
      description: 'Frames per second; frame i shows the sound around i / rate seconds.',
    }),
    fftSize: int(2048, {
      min: 64,
      max: 32768,
      unit: 'samples',
      label: 'Window',
      description:
        'Samples analysed per frame (Hann window, centred on the frame’s time). Longer windows resolve low notes, shorter ones follow fast changes.',
    }),
    bins: int(256, {
      min: 2,
      max: 4096,
      label: 'Bins',
      description: 'How many log-spaced frequencies each frame measures.',
    }),
    minHz: float(30, {
      min: 1,
      max: 20000,
      curve: 'log',
      unit: 'Hz',
      label: 'Lowest frequency',
      description: 'The first bin’s frequency.',
    }),
    maxHz: float(16000, {
      min: 10,
      max: 192000,
      curve: 'log',
      unit: 'Hz',
      label: 'Highest frequency',
      description: 'The last bin’s frequency (at most half the sample rate).',
    }),
    binning: choice('log-bands', ['log-bands', 'post'], {
      label: 'Bins',
      optionLabels: { 'log-bands': 'Log bands (Hann)', post: 'The post’s indices' },
      description:
        'Log bands: the loudest FFT bin in each band between the lowest and highest frequency, Hann window. The post’s: |rfft| of each frame’s chunk (no window) at the integer indices logspace(1, log10(window/2), bins), as the Spectral Diffusion post’s CSV; the frequency range is then set by the window.',
    }),
    scale: choice('db', ['db', 'linear'], {
      label: 'Level scale',
      optionLabels: { db: 'Decibels', linear: 'Linear amplitude' },
      description:
        'Decibels map the floor below to 0 and a full-scale sine to 1; linear uses the amplitude itself (quiet sounds look small). With the post’s bins, linear keeps its raw |rfft| values (often far above 1), as its CSV.',
    }),
    floorDb: float(-80, {
      min: -200,
      max: -1,
      unit: 'dBFS',
      label: 'Floor',
      description: 'In decibels: this level and quieter is 0.',
    }),
  },
  runtime: 'cpu',
  run: async ({ audio }, params, ctx) => {
    const samples = audio.channels[0]?.length ?? 0
    if (audio.channels.length === 0 || samples === 0)
      throw new UserError('Spectrum Frames: the audio input is empty.', 'Load a sound first.')
    const nyquist = audio.sampleRate / 2
    const maxHz = Math.min(params.maxHz, nyquist)
    if (params.binning === 'log-bands' && !(params.minHz < maxHz))
      throw new UserError(
        `Spectrum Frames: the lowest frequency (${params.minHz} Hz) must be below the highest (${maxHz} Hz${maxHz < params.maxHz ? ', half the sample rate' : ''}).`,
        'Lower the lowest frequency or raise the highest.',
      )
    const count = spectrumFrameCount(samples, audio.sampleRate, params.fps)
    if (count > 100_000)
      throw new UserError(
        `Spectrum Frames: ${count} frames is too many.`,
        'Lower the frame rate or use a shorter sound.',
      )
    await initFastFft()
    const onFrame = (done: number, total: number) => {
      if (ctx.signal.aborted) throw new CancelledError()
      if (done % 16 === 0 || done === total) ctx.progress(done / total, `frame ${done} of ${total}`)
    }
    const post = params.binning === 'post'
    // A long render asks for a window of frames at a time (ctx.frames): only those are made.
    const span = ctx.frames
    const amplitudes = post
      ? postSpectrumFrames(audio.channels, audio.sampleRate, params, onFrame, span)
      : analyse(
          audio.channels,
          audio.sampleRate,
          { ...params, maxHz, window: 'hann' },
          onFrame,
          span,
        )
    const binHz = post
      ? Array.from(
          postBinIndices(params.bins, params.fftSize),
          (k) => (k * audio.sampleRate) / params.fftSize,
        )
      : Array.from(logBinFrequencies(params.bins, params.minHz, maxHz))
    const spectra: FramesValue = {
      kind: 'frames',
      fps: params.fps,
      width: params.bins,
      height: 1,
      frames: amplitudes.map((a) => [
        post && params.scale === 'linear' ? a : levelsToUnit(a, params.scale, params.floorDb),
      ]),
      binHz,
      analysis: {
        sampleRate: audio.sampleRate,
        chunkSamples: audio.sampleRate / params.fps,
        windowSamples: params.fftSize,
        binning: params.binning,
      },
      ...(span && { range: { start: Math.min(span.start, count), total: count } }),
    }
    return { spectra }
  },
})
