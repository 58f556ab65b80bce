import { describe, expect, it } from 'vitest'
import { audioOutput } from '../../nodes/audio-output'
import { registry } from '../../nodes'
import { runJob } from '../../src/engine/runner'
import { UserError } from '../../src/engine/errors'
import type { AudioValue } from '../../src/engine/values'
import { audioOutputFile, safeFileStem } from '../../src/media/output-files'
import { decodeWav, readWavChunks, readWavHeader } from '../../src/media/wav'
import { createRunContext } from '../helpers/run-context'
import { sine } from '../media/tone'

const audio: AudioValue = {
  kind: 'audio',
  sampleRate: 22050,
  channels: [sine(2205, 22050, 441, 0.5), sine(2205, 22050, 882, 0.25)],
}

describe('Audio Output (audio/output)', () => {
  it('passes its audio through for preview', async () => {
    const out = await audioOutput.run(
      { audio },
      { name: 'mix', format: 'pcm16' },
      createRunContext(),
    )
    expect(out.audio).toBe(audio)
  })

  it('defaults to "output" as 16-bit PCM', () => {
    expect(audioOutput.params.name.default).toBe('output')
    expect(audioOutput.params.format.default).toBe('pcm16')
    expect(audioOutput.params.format.options).toEqual(['pcm16', 'pcm24', 'float32'])
  })

  it('refuses NaN rather than exporting it as silence', async () => {
    const bad: AudioValue = { ...audio, channels: [Float32Array.of(0, NaN, 0)] }
    const job = {
      node: 'o',
      type: 'audio/output',
      inputs: { audio: bad },
      params: { name: 'x', format: 'pcm16' },
      seed: 0,
    }
    const run = () => runJob(registry, job, createRunContext())
    await expect(run()).rejects.toBeInstanceOf(UserError)
    await expect(run()).rejects.toThrow(/input "audio" contains NaN/)
  })
})

describe('audioOutputFile', () => {
  it('writes a WAV in the chosen format that decodes back to the audio', () => {
    const bound = { pcm16: 0.5 / 32768, pcm24: 0.5 / 8388608, float32: 0 }
    for (const format of ['pcm16', 'pcm24', 'float32'] as const) {
      const file = audioOutputFile(audio, { name: 'mix', format })
      expect(file.fileName).toBe('mix.wav')
      expect(readWavHeader(file.bytes).sampleFormat).toBe(format)
      const back = decodeWav(file.bytes)
      expect(back.sampleRate).toBe(22050)
      back.channels.forEach((ch, c) =>
        ch.forEach((v, i) =>
          expect(Math.abs(v - audio.channels[c][i])).toBeLessThanOrEqual(bound[format]),
        ),
      )
    }
  })

  it('is byte-for-byte the same for the same value and params', () => {
    const a = audioOutputFile(audio, { name: 'a', format: 'pcm24' })
    expect(audioOutputFile(audio, { name: 'a', format: 'pcm24' })).toEqual(a)
  })

  it('carries extra chunks for provenance', () => {
    const data = new TextEncoder().encode('{"format":"synesthete-graph"}')
    const file = audioOutputFile(audio, { name: 'a', format: 'pcm16' }, [{ id: 'syns', data }])
    expect(readWavChunks(file.bytes)).toEqual([{ id: 'syns', data }])
  })

  it('rounds a fractional sample rate to the nearest whole one', () => {
    const file = audioOutputFile({ ...audio, sampleRate: 22050.4 }, { name: 'a', format: 'pcm16' })
    expect(readWavHeader(file.bytes).sampleRate).toBe(22050)
  })

  it('makes portable file names from what the user typed', () => {
    expect(safeFileStem('my mix: take 2/final', 'wav')).toBe('my mix_ take 2_final')
    expect(safeFileStem('  take.WAV ', 'wav')).toBe('take')
    expect(safeFileStem('', 'wav')).toBe('output')
    expect(safeFileStem('...', 'wav')).toBe('output')
    expect(safeFileStem('con', 'wav')).toBe('_con')
    expect(audioOutputFile(audio, { name: 'a<b>', format: 'pcm16' }).fileName).toBe('a_b_.wav')
  })
})
