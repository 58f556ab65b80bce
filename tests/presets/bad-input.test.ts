import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { execute, type ExecutionResult } from '../../src/engine/executor'
import { parseGraphText } from '../../src/engine/validate'
import { encodeWav } from '../../src/media/wav'

/**
 * The faithful preset fed bad sound: every run ends, the node that cannot go on says why in
 * words, what depends on it waits, and nothing anywhere is a crash or a NaN.
 */

const preset = () => {
  const text = readFileSync(new URL('../../presets/visual-sampling.json', import.meta.url), 'utf8')
  const parsed = parseGraphText(text, registry)
  if (!parsed.ok) throw new Error('preset invalid')
  return parsed.graph
}

function runOn(bytes: Uint8Array): Promise<ExecutionResult> {
  return execute(preset(), { registry, files: () => Promise.resolve({ name: 'input.wav', bytes }) })
}

const wav = (samples: Float32Array, rate = 44100) =>
  encodeWav({ sampleRate: rate, channels: [samples] }, 'pcm16')

function states(result: ExecutionResult) {
  const values = [...result.results.values()]
  for (const r of values) {
    expect(r.error?.message ?? '', r.node).not.toMatch(/a bug in the node|undefined|NaN\b/)
  }
  return values
}

describe('the faithful preset on bad input', () => {
  it('turns silence into silent sound files, with no NaN and no error', async () => {
    const result = await runOn(wav(new Float32Array(44100 * 2)))
    const values = states(result)
    expect(values.filter((r) => r.state === 'error')).toEqual([])
  })

  it('stops at the spectrogram for a one-sample file, saying it is too short', async () => {
    const result = await runOn(wav(Float32Array.of(0.5)))
    states(result)
    expect(result.results.get('stft')?.error?.message).toMatch(
      /too short: 1 sample, need at least 257/,
    )
    expect(result.results.get('outRed')?.state).toBe('blocked')
  })

  it.each([
    ['an empty file', new Uint8Array(0), /empty/i],
    [
      'a text file',
      new TextEncoder().encode('this is not a sound at all'),
      /not .*audio|not a sound|text/i,
    ],
    ['a cut-off WAV header', wav(new Float32Array(1000)).subarray(0, 30), /WAV|truncated|cut/i],
  ])('refuses %s at Load Audio and blocks the rest', async (_what, bytes, message) => {
    const result = await runOn(bytes)
    const values = states(result)
    expect(result.results.get('load')?.state).toBe('error')
    expect(result.results.get('load')?.error?.message).toMatch(message)
    expect(result.results.get('load')?.error?.hint ?? '').not.toBe('')
    expect(values.filter((r) => r.state === 'done')).toEqual([])
  })
})
