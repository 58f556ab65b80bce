import type { NodeOutputs } from '../../../src/engine/codec'
import { decodeOutputs, encodeOutputs } from '../../../src/engine/codec'
import type { GraphDocument } from '../../../src/engine/document'
import { checkOutputs } from '../../../src/engine/runner'
import { createLocalRunner, type NodeJob, type NodeRunner } from '../../../src/engine/runner'
import type { AudioValue } from '../../../src/engine/values'
import { IdbCache, idbCacheStores } from '../../../src/runtime/idb-cache'
import { harnessRegistry } from './harness-nodes'
import { watchMainThread } from './main-thread'
import type { RunSummary } from './runtime-harness'

/**
 * The runtime benchmark, run in the page by bench/runtime-browser.ts: runner overhead,
 * moving a 3-minute stereo file to a worker and back, the IndexedDB cache, and a whole
 * 3-minute graph computed, hit in memory, and restored from IndexedDB.
 */

export type BenchRow = { name: string; ms: number; note?: string }

const THREE_MINUTES = 180 * 44100

function stereo(samples: number): AudioValue {
  const left = new Float32Array(samples)
  for (let i = 0; i < samples; i++) left[i] = Math.sin(i * 0.01)
  return { kind: 'audio', sampleRate: 44100, channels: [left, left.slice()] }
}

const job = (type: string, inputs: NodeJob['inputs'], params: NodeJob['params'] = {}) => ({
  node: 'bench',
  type,
  inputs,
  params,
  seed: 0,
})
const ctx = () => ({ signal: new AbortController().signal, progress: () => {} })

async function perJob(runner: NodeRunner, count: number): Promise<number> {
  const tiny = { audio: stereo(1) }
  const started = performance.now()
  for (let i = 0; i < count; i++) await runner.run(job('e2e/gain', tiny, { factor: 0.5 }), ctx())
  return (performance.now() - started) / count
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: performance.now() - started, value }
}

/** What the bench needs of the harness. */
export interface BenchHost {
  runner(): NodeRunner
  /** A fresh runtime over the same IndexedDB: an empty memory tier, as after a reload. */
  restart(): Promise<void>
  run(graph: GraphDocument): Promise<RunSummary>
  flush(): Promise<void>
}

/** A 3-minute stereo file's graph: a source and three processing steps. */
const node = (id: string, type: string, params: Record<string, number> = {}) => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
  mode: 'normal' as const,
})
const edge = (from: string, to: string) => ({
  from: { node: from, port: 'audio' },
  to: { node: to, port: 'audio' },
})
const threeMinuteGraph: GraphDocument = {
  format: 'synesthete-graph',
  version: 2,
  nodes: [
    node('source', 'e2e/tone', { seconds: 180, frequencyHz: 220 }),
    node('quieter', 'e2e/gain', { factor: 0.5 }),
    node('louder', 'e2e/gain', { factor: 1.5 }),
    node('copy', 'e2e/pass'),
  ],
  edges: [edge('source', 'quieter'), edge('quieter', 'louder'), edge('louder', 'copy')],
}

export async function runBench(host: BenchHost): Promise<BenchRow[]> {
  const pool = host.runner()
  const passDef = harnessRegistry.get('e2e/pass')
  if (!passDef) throw new Error('e2e/pass is not registered')
  const rows: BenchRow[] = []
  const local = createLocalRunner(harnessRegistry)
  await perJob(pool, 20) // warm both workers and the JIT
  await perJob(local, 20)
  const poolMs = await perJob(pool, 300)
  const localMs = await perJob(local, 300)
  rows.push({ name: 'tiny job, local runner', ms: localMs })
  rows.push({
    name: 'tiny job, worker pool',
    ms: poolMs,
    note: `${(poolMs / localMs).toFixed(0)}× local`,
  })

  const audio = stereo(THREE_MINUTES)
  const mb = (audio.channels.length * THREE_MINUTES * 4) / 1e6
  // Making the test array is itself a long task; let it end before watching.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const watch = watchMainThread()
  const trip = await timed(() => pool.run(job('e2e/pass', { audio }), ctx()))
  const tripTasks = (await watch.stop()).longTasks
  rows.push({
    name: '3-min stereo to a worker (copied) and back (transferred)',
    ms: trip.ms,
    note: `long tasks: [${tripTasks.join(', ')}]`,
  })
  const check = await timed(() => checkOutputs(passDef, trip.value.outputs))
  rows.push({ name: "executor's checkOutputs (finite scan) on the page", ms: check.ms })
  const clone = await timed(() => structuredClone(audio))
  rows.push({ name: `structuredClone of 3-min stereo (${mb.toFixed(1)} MB)`, ms: clone.ms })

  const outputs: NodeOutputs = { audio }
  const encoded = await timed(() => encodeOutputs(outputs))
  rows.push({ name: 'encodeOutputs 3-min stereo', ms: encoded.ms })
  rows.push({
    name: 'decodeOutputs 3-min stereo',
    ms: (await timed(() => decodeOutputs(encoded.value))).ms,
  })
  const stores = idbCacheStores('synesthete-bench-cache')
  const cache = await IdbCache.open({ maxBytes: 1e9, stores })
  await cache.clear()
  rows.push({
    name: 'IdbCache.set 3-min stereo',
    ms: (await timed(() => cache.set('k', { outputs }))).ms,
  })
  const reopened = await IdbCache.open({ maxBytes: 1e9, stores })
  const read = await timed(() => reopened.get('k'))
  rows.push({ name: 'IdbCache.get 3-min stereo (fresh index)', ms: read.ms })
  await reopened.clear()

  await host.restart()
  const computed = await host.run(threeMinuteGraph)
  const memory = await host.run(threeMinuteGraph)
  const flush = await timed(() => host.flush())
  await host.restart()
  const restored = await host.run(threeMinuteGraph)
  const note = (r: RunSummary) =>
    `${Object.values(r.states).join(',')}; jobs ${r.jobs.cpu}; long tasks: [${r.mainThread.longTasks.join(', ')}]; max frame gap ${r.mainThread.maxFrameGapMs} ms`
  rows.push({ name: '3-min graph (4 nodes): computed', ms: computed.ms, note: note(computed) })
  rows.push({ name: '3-min graph: memory hit', ms: memory.ms, note: note(memory) })
  rows.push({ name: '3-min graph: waiting for IndexedDB writes', ms: flush.ms })
  rows.push({ name: '3-min graph: restored from IndexedDB', ms: restored.ms, note: note(restored) })
  return rows
}
