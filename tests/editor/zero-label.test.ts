import { describe, expect, it } from 'vitest'
import { float, int } from '../../src/engine/params'
import { zeroLabel } from '../../src/editor/controls/zero-label'
import { allNodes } from '../../nodes'

describe('what a number field shows for 0', () => {
  it('reads "auto" or the word from descriptions that say what 0 does', () => {
    expect(
      zeroLabel(int(0, { min: 0, description: 'Samples per column; 0 = FFT size / 2.' })),
    ).toBe('auto')
    expect(zeroLabel(int(0, { min: 0, description: "0 keeps the file's own rate." }))).toBe('auto')
    expect(zeroLabel(int(0, { min: 0, description: 'Every N steps (0: never; costly).' }))).toBe(
      'never',
    )
    expect(zeroLabel(int(0, { min: 0, description: '0: up to half the width.' }))).toBe('auto')
  })

  it('prefers the label the spec gives', () => {
    expect(zeroLabel(int(0, { min: 0, zeroLabel: 'none' }))).toBe('none')
  })

  it('leaves 0 a number where it is an amount', () => {
    expect(
      zeroLabel(float(0, { min: 0, description: 'Momentum (0 = classic Griffin-Lim).' })),
    ).toBe(undefined)
    expect(zeroLabel(int(1, { min: 0, description: 'Played again between 0→b and a→end.' }))).toBe(
      undefined,
    )
    expect(zeroLabel(int(0, { min: -5, description: '0 = no shift.' }))).toBe(undefined)
  })

  it('shows a word for exactly the shipped params whose 0 is a switch', () => {
    const words: string[] = []
    for (const def of allNodes)
      for (const [name, spec] of Object.entries(def.params))
        if (spec.type === 'int' || spec.type === 'float') {
          const word = zeroLabel(spec)
          if (word) words.push(`${def.type}.${name}: ${word}`)
        }
    expect(words.sort()).toEqual([
      'audio/load.sampleRateHz: auto',
      'dsp/griffin-lim.fftSize: auto',
      'dsp/griffin-lim.hopSize: auto',
      'dsp/griffin-lim.sampleRateHz: auto',
      'dsp/normalize.height: auto',
      'dsp/normalize.width: auto',
      'dsp/stft.hopSize: auto',
      'image/loop-finder.maxPeriod: auto',
      'latent/cut.to: auto',
      'latent/join.overlap: butted',
      'ml/stable-diffusion-frames.height: auto',
      'ml/stable-diffusion-frames.width: auto',
      'ml/stable-diffusion.height: auto',
      'ml/stable-diffusion.previewEvery: never',
      'ml/stable-diffusion.width: auto',
      'synth/chirp.height: auto',
      'synth/chirp.width: auto',
    ])
  })
})
