/**
 * The whole faithful preset (the notebook's chain) on 3 minutes of 44.1 kHz audio, in this
 * thread with the local runner and no cache: what `npm run render -- visual-sampling` costs.
 */
import { readFileSync } from 'node:fs'
import { registry } from '../nodes'
import { execute } from '../src/engine/executor'
import { parseGraphText } from '../src/engine/validate'
import { encodeWav } from '../src/media/wav'
import { threeMinutes } from './dsp'
import type { BenchCase } from './types'

let wav: Uint8Array | undefined
const input = () => (wav ??= encodeWav({ sampleRate: 44100, channels: [threeMinutes()] }, 'pcm16'))

function faithfulPreset() {
  const text = readFileSync(new URL('../presets/visual-sampling.json', import.meta.url), 'utf8')
  const parsed = parseGraphText(text, registry)
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'))
  return parsed.graph
}

export const presetBench: BenchCase = {
  name: 'whole faithful preset, 3 min 44.1 kHz (16 nodes)',
  repeats: 2,
  compareFftJs: true,
  async run() {
    const result = await execute(faithfulPreset(), {
      registry,
      files: () => Promise.resolve({ name: 'three-minutes.wav', bytes: input() }),
    })
    const failed = [...result.results.values()].filter((r) => r.state === 'error')
    if (failed.length > 0) throw new Error(`${failed[0].node}: ${failed[0].error?.message}`)
  },
}
