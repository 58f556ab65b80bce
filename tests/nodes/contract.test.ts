import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { allNodes } from '../../nodes'
import { isOptionalInput, kindOfInput, type AnyNodeDefinition } from '../../src/engine/define-node'
import { UserError } from '../../src/engine/errors'
import { checkOutputs } from '../../src/engine/runner'
import { paramProblem, type FileData } from '../../src/engine/params'
import { runJob } from '../../src/engine/runner'
import { createRegistry } from '../../src/engine/registry'
import { VALUE_KINDS, type Value, type ValueKind } from '../../src/engine/values'
import type { NodeOutputs } from '../../src/engine/codec'

/**
 * The behaviour every node kind owes the rest of the system, checked for each definition in
 * nodes/index.ts (as Tone.js runs one suite against every effect).
 */

const registry = createRegistry(allNodes)
const sampleWav = readFileSync(new URL('../../public/samples/synesthete-demo.wav', import.meta.url))
const tinyPng = readFileSync(new URL('../fixtures/contract/tiny.png', import.meta.url))

type Flavour = 'signal' | 'silence' | 'nan'

function sine(n: number, rate: number, hz: number, level: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => level * Math.sin((2 * Math.PI * hz * i) / rate))
}

function sampleValue(kind: ValueKind, flavour: Flavour): Value {
  const level = flavour === 'silence' ? 0 : 0.5
  const poison = <T extends Float32Array>(a: T): T => {
    if (flavour === 'nan') a[Math.floor(a.length / 2)] = NaN
    return a
  }
  switch (kind) {
    case 'audio':
      return {
        kind,
        sampleRate: 22050,
        channels: [poison(sine(22050, 22050, 440, level)), sine(22050, 22050, 660, level)],
      }
    case 'spectrogram': {
      const bins = 257
      const frames = 24
      const data = Float32Array.from({ length: bins * frames }, (_, i) => level * (1 + Math.sin(i)))
      return {
        kind,
        sampleRate: 22050,
        fftSize: 512,
        hopSize: 256,
        window: 'hann',
        center: true,
        scale: 'power',
        bins,
        frames,
        channels: [poison(data)],
      }
    }
    case 'image': {
      const [w, h] = [40, 30]
      const plane = (k: number) =>
        Float32Array.from({ length: w * h }, (_, i) =>
          flavour === 'silence' ? 0 : ((i * k) % 97) / 96,
        )
      return { kind, width: w, height: h, channels: [poison(plane(1)), plane(3), plane(7)] }
    }
    case 'frames': {
      // Three frames: spectra-like rows would be 1 high; pictures exercise more of each node.
      const [w, h] = [24, 16]
      const plane = (k: number, f: number) =>
        Float32Array.from({ length: w * h }, (_, i) =>
          flavour === 'silence' ? 0 : ((i * k + f * 13) % 89) / 88,
        )
      const frames = [0, 1, 2].map((f) => [plane(1, f), plane(3, f), plane(7, f)])
      poison(frames[1][0])
      return { kind, fps: 12, width: w, height: h, frames }
    }
    case 'latent':
      return { kind, shape: [1, 4, 8, 8], data: poison(new Float32Array(256).fill(level)) }
    case 'number':
      return { kind, value: flavour === 'nan' ? NaN : level }
    case 'text':
      return { kind, value: flavour === 'silence' ? '' : 'a painting of sound' }
  }
}

function defaultParams(
  def: AnyNodeDefinition,
): Record<string, number | boolean | string | FileData | null> {
  const params: Record<string, number | boolean | string | FileData | null> = {}
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.type !== 'file') params[name] = spec.default
    else if (spec.accept === 'audio')
      params[name] = {
        ref: 'sample:synesthete-demo.wav',
        name: 'demo.wav',
        bytes: new Uint8Array(sampleWav),
      }
    else params[name] = { ref: 'test:tiny.png', name: 'tiny.png', bytes: new Uint8Array(tinyPng) }
  }
  return params
}

async function runWith(
  def: AnyNodeDefinition,
  flavour: Flavour,
  signal = new AbortController().signal,
): Promise<NodeOutputs> {
  const inputs = Object.fromEntries(
    Object.entries(def.inputs).map(([port, spec]) => [
      port,
      sampleValue(kindOfInput(spec), flavour),
    ]),
  )
  return runJob(
    registry,
    { node: 'n', type: def.type, inputs, params: defaultParams(def), seed: 1 },
    { signal, progress: () => undefined },
  )
}

it('registers at least the foundation nodes', () => {
  const types = allNodes.map((d) => d.type)
  expect(new Set(types).size).toBe(types.length)
})

describe.each(allNodes.map((d) => [d.type, d] as const))('%s', (_type, def) => {
  it('declares a namespaced id, a version, words for people and a runtime', () => {
    expect(def.type).toMatch(/^[a-z]+\/[a-z0-9-]+$/)
    expect(Number.isInteger(def.version) && def.version >= 1).toBe(true)
    expect(def.title.length).toBeGreaterThan(1)
    expect(def.category.length).toBeGreaterThan(1)
    expect(def.description.length).toBeGreaterThan(10)
    expect(['cpu', 'gpu']).toContain(def.runtime)
  })

  it('has ports of known kinds and params whose defaults fit their own specs', () => {
    for (const spec of Object.values(def.inputs)) expect(VALUE_KINDS).toContain(kindOfInput(spec))
    for (const kind of Object.values(def.outputs)) expect(VALUE_KINDS).toContain(kind)
    for (const [name, spec] of Object.entries(def.params)) {
      expect(paramProblem(spec, spec.default), `${def.type}.${name}`).toBeUndefined()
      expect(spec.description ?? '', `${def.type}.${name} needs a tooltip`).not.toBe('')
    }
  })

  it('produces every declared output, of its kind, finite, from ordinary input', async () => {
    const outputs = await runWith(def, 'signal')
    expect(() => checkOutputs(def, outputs)).not.toThrow()
  })

  it('is deterministic: the same inputs, params and seed give the same output', async () => {
    expect(await runWith(def, 'signal')).toEqual(await runWith(def, 'signal'))
  })

  it('turns silence into finite output or a clear error, never NaN', async () => {
    await expectFiniteOrUserError(def, () => runWith(def, 'silence'))
  })

  it.skipIf(
    Object.values(def.inputs).every(
      (s) => isOptionalInput(s) || ['number', 'text'].includes(kindOfInput(s)),
    ),
  )('refuses NaN in its inputs with a clear error, or contains it', async () => {
    await expectFiniteOrUserError(def, () => runWith(def, 'nan'))
  })

  it('stops when cancelled before it starts', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(runWith(def, 'signal', controller.signal)).rejects.toThrow()
  })
})

async function expectFiniteOrUserError(
  def: AnyNodeDefinition,
  run: () => Promise<NodeOutputs>,
): Promise<void> {
  try {
    checkOutputs(def, await run())
  } catch (error) {
    expect(error, `${def.type}: ${(error as Error).message}`).toBeInstanceOf(UserError)
  }
}
