import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { allNodes } from '../../nodes'
import { kindOfInput, type AnyNodeDefinition } from '../../src/engine/define-node'
import { isCancelled, UserError } from '../../src/engine/errors'
import { paramProblem, type FileData } from '../../src/engine/params'
import { checkOutputs, runJob, type JobContext, type NodeJob } from '../../src/engine/runner'
import { createRegistry } from '../../src/engine/registry'
import { VALUE_KINDS, type Value, type ValueKind } from '../../src/engine/values'
import type { NodeOutputs } from '../../src/engine/codec'
import { cpuMs } from '../helpers/cpu-time'

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

function jobFor(def: AnyNodeDefinition, flavour: Flavour): NodeJob {
  const inputs = Object.fromEntries(
    Object.entries(def.inputs).map(([port, spec]) => [
      port,
      sampleValue(kindOfInput(spec), flavour),
    ]),
  )
  return { node: 'n', type: def.type, inputs, params: defaultParams(def), seed: 1 }
}

/** Runs the node the way every runner does: through runJob. */
function runWith(
  def: AnyNodeDefinition,
  flavour: Flavour,
  ctx: JobContext = { signal: new AbortController().signal, progress: () => undefined },
): Promise<NodeOutputs> {
  return runJob(registry, jobFor(def, flavour), ctx).then((result) => result.outputs)
}

/**
 * A job context that cancels the run once the node is under way, so only the node's own
 * checks can stop it (runJob's look at the signal before it starts the node never sees the
 * cancel). With `pastFraction`, the cancel comes at the first progress report beyond it;
 * without, at the node's first progress report or its own first look at the signal.
 */
function cancelMidRun(pastFraction?: number) {
  const controller = new AbortController()
  const signal = controller.signal
  const state = {
    /** CPU time (cpuMs) when the cancel came; undefined if the node never gave a chance. */
    cancelledAt: undefined as number | undefined,
    /** Looks at the signal, runJob's own first one included. */
    looks: 0,
    reportsAfterCancel: 0,
  }
  const cancel = () => {
    if (state.cancelledAt !== undefined) return
    state.cancelledAt = cpuMs()
    controller.abort()
  }
  const look = () => {
    if (++state.looks > 1 && pastFraction === undefined) cancel()
  }
  // Instance properties over the prototype's, as the worker's live signal does (worker-host.ts).
  const aborted = () =>
    Reflect.get<AbortSignal, 'aborted'>(AbortSignal.prototype, 'aborted', signal)
  Object.defineProperty(signal, 'aborted', {
    get: () => {
      look()
      return aborted()
    },
  })
  signal.throwIfAborted = () => {
    look()
    if (aborted()) throw signal.reason
  }
  const ctx: JobContext = {
    signal,
    progress: (fraction) => {
      if (state.cancelledAt !== undefined) state.reportsAfterCancel++
      else if (fraction > (pastFraction ?? -1)) cancel()
    },
  }
  return { ctx, state }
}

/** How a run ended: its outputs, or what it threw, and the CPU time (cpuMs) it ended at. */
async function outcomeOf(run: Promise<NodeOutputs>) {
  try {
    return { outputs: await run, endedAt: cpuMs() }
  } catch (error) {
    return { error, endedAt: cpuMs() }
  }
}

/**
 * Each node declares how soon it stops once cancelled (`cancellation` on its definition, see
 * src/engine/define-node.ts), and gets the cancellation tests of that kind only:
 * - 'none': one quick pass that never looks at its signal: cancelled meanwhile, it finishes;
 * - 'between-parts' (the default) and 'per-step': cancelled once started, it stops with a
 *   cancellation error; 'per-step' also stops part-way through its steps, at the next one.
 */
const cancellationOf = (def: AnyNodeDefinition) => def.cancellation ?? 'between-parts'

/**
 * CPU time a node may still spend once cancelled. CPU time, not the wall clock: it does not
 * grow while other programs hold the cores, so the bound means the same on a busy machine.
 * A node that ignores the cancel spends seconds more; one that stops spends milliseconds.
 */
const STOPS_WITHIN_CPU_MS = 1500

const FOUNDATION_TYPES = [
  'audio/load',
  'dsp/stft',
  'dsp/normalize',
  'image/split-rgb',
  'dsp/griffin-lim',
  'dsp/phase-vocoder',
  'synth/chirp',
  'audio/mix',
  'image/load',
  'image/resize',
  'audio/output',
  'image/output',
  'ml/stable-diffusion',
]

it('registers the foundation nodes, each type once', () => {
  const types = allNodes.map((d) => d.type)
  expect(new Set(types).size).toBe(types.length)
  for (const type of FOUNDATION_TYPES) expect(types, type).toContain(type)
})

it('runJob refuses NaN in any input before the node runs, naming the input', async () => {
  const ran: string[] = []
  const spied = createRegistry(
    allNodes.map((def) => ({
      ...def,
      run: (...args: Parameters<AnyNodeDefinition['run']>) => {
        ran.push(def.type)
        return def.run(...args)
      },
    })),
  )
  const checkable = allNodes.filter((def) =>
    Object.values(def.inputs).some((spec) => kindOfInput(spec) !== 'text'),
  )
  expect(checkable.length).toBeGreaterThan(10)
  for (const def of checkable) {
    const ctx = { signal: new AbortController().signal, progress: () => undefined }
    const run = runJob(spied, jobFor(def, 'nan'), ctx)
    await expect(run, def.type).rejects.toThrow(UserError)
    await expect(run, def.type).rejects.toThrow(/input "\w+" contains NaN or infinite values/)
  }
  expect(ran).toEqual([])
})

it('runJob does not start a node when the run was cancelled before it', async () => {
  const ran: string[] = []
  const spied = createRegistry(
    allNodes.map((def) => ({
      ...def,
      run: () => {
        ran.push(def.type)
        return {}
      },
    })),
  )
  const controller = new AbortController()
  controller.abort()
  for (const def of allNodes) {
    const ctx = { signal: controller.signal, progress: () => undefined }
    const { error } = await outcomeOf(
      runJob(spied, jobFor(def, 'signal'), ctx).then((r) => r.outputs),
    )
    expect(isCancelled(error), def.type).toBe(true)
  }
  expect(ran).toEqual([])
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

  it('says what it reads if it takes a file, and what it writes if it is an output', () => {
    // A file param means a loader: which files it takes is the definition's word (`accepts`).
    const takesFiles = Object.values(def.params).some((spec) => spec.type === 'file')
    expect(def.accepts !== undefined, `${def.type}: accepts`).toBe(takesFiles)
    // The Outputs category is what export writes; nodes elsewhere have their values' downloads.
    expect(def.export !== undefined, `${def.type}: export`).toBe(def.category === 'Outputs')
    expect(def.exportNames === undefined || def.export !== undefined).toBe(true)
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

  // Each node gets the cancellation tests of its kind only (none are registered as skipped).
  const quick = cancellationOf(def) === 'none'
  ;(quick ? it : none)(
    'is one quick pass that never looks at its signal: cancelled meanwhile, it still finishes',
    async () => {
      const { ctx, state } = cancelMidRun()
      checkOutputs(def, await runWith(def, 'signal', ctx))
      expect(state.looks, "only runJob looked: its cancellation is not 'none'").toBe(1)
    },
  )

  ;(quick ? none : it)(
    'stops with a cancellation error when cancelled once it has started',
    async () => {
      const { ctx, state } = cancelMidRun()
      const ended = await outcomeOf(runWith(def, 'signal', ctx))
      expect(
        state.cancelledAt,
        'it neither reported progress nor looked at its signal',
      ).toBeDefined()
      expect(isCancelled(ended.error), `it ended with ${String(ended.error)}`).toBe(true)
      expect(ended.endedAt - (state.cancelledAt ?? 0)).toBeLessThan(STOPS_WITHIN_CPU_MS)
    },
  )

  ;(cancellationOf(def) === 'per-step' ? it : none)(
    'stops part-way through its steps, at the next one after the cancel',
    async () => {
      const { ctx, state } = cancelMidRun(0.3)
      const ended = await outcomeOf(runWith(def, 'signal', ctx))
      expect(state.cancelledAt, 'its progress never passed 0.3').toBeDefined()
      expect(isCancelled(ended.error), `it ended with ${String(ended.error)}`).toBe(true)
      expect(state.reportsAfterCancel).toBeLessThanOrEqual(1)
      expect(ended.endedAt - (state.cancelledAt ?? 0)).toBeLessThan(STOPS_WITHIN_CPU_MS)
    },
  )
})

/** Registers nothing: a test that does not apply to this node. */
function none(_name: string, _test: () => Promise<void>): void {}

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
