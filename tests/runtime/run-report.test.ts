import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/cli/disk-cache'
import { MemoryCache, TieredCache } from '../../src/engine/cache'
import { decodeResult, encodeOutputs } from '../../src/engine/codec'
import { defineNode, type RunReport } from '../../src/engine/define-node'
import { execute, type ExecutionEvent } from '../../src/engine/executor'
import { createRegistry } from '../../src/engine/registry'
import { IdbCache } from '../../src/runtime/idb-cache'
import { WorkerPool } from '../../src/runtime/worker-pool'
import { echoAudio, graphOf } from '../helpers/test-nodes'
import { memoryCacheStores } from './fake-stores'
import { fakeWorkers } from './fake-worker'

/**
 * A node's run report (`ctx.report`) rides on its result: across the worker boundary, into
 * every cache tier and back out of it, so a cached result says what the computed one said.
 */

const REPORT: RunReport = {
  providers: [
    { network: 'unet', provider: 'wasm', note: 'no WebGPU adapter' },
    { network: 'vae_decoder', provider: 'webgpu' },
  ],
  providerWhy: 'no WebGPU adapter',
  steps: 3,
  scheduler: 'euler',
  size: { width: 8, height: 2 },
  tinyModel: true,
}

/** Large enough (400 kB) that the worker encodes it for the cache itself. */
const SAMPLES = 100_000

const reporter = defineNode({
  type: 'test/reporter',
  version: 1,
  title: 'Reporter',
  category: 'Test',
  description: 'Reports how it ran, in two calls.',
  inputs: {},
  outputs: { audio: 'audio' },
  params: {},
  runtime: 'cpu',
  run: (_inputs, _params, ctx) => {
    const { size, tinyModel, ...first } = REPORT
    ctx.report?.(first)
    ctx.report?.({ size, tinyModel }) // later calls add fields
    const channel = new Float32Array(SAMPLES).map((_, i) => Math.sin(i / 10) * 0.5)
    return { audio: { kind: 'audio', sampleRate: 8000, channels: [channel] } }
  },
})

// Downstream of it, the echo's job shows where its input's bytes were said to sit.
const registry = createRegistry([reporter, echoAudio])
const graph = graphOf(
  [
    { id: 'r', type: 'test/reporter' },
    { id: 'e', type: 'test/echo-audio' },
  ],
  ['r.audio->e.audio'],
)

describe("a node's run report", () => {
  it('crosses the worker boundary, is stored with the encoded result, and comes back from the cache', async () => {
    const workers = fakeWorkers(registry)
    const pool = new WorkerPool({ createWorker: workers.create, size: 1 })
    const stores = memoryCacheStores()
    const first = await IdbCache.open({ maxBytes: 64 * 1024 ** 2, stores })
    const events: ExecutionEvent[] = []
    const ran = await execute(graph, {
      registry,
      files: () => Promise.reject(new Error('no files')),
      runner: pool,
      cache: new TieredCache(new MemoryCache(), first),
      onEvent: (e) => events.push(e),
    })
    const made = ran.results.get('r')
    expect(made?.state).toBe('done')
    expect(made?.report).toEqual(REPORT)
    // The state event carries it too: the editor's footer reads it from there.
    const done = events.find((e) => e.type === 'state' && e.node === 'r' && e.state === 'done')
    expect(done?.type === 'state' && done.report).toEqual(REPORT)
    // The worker encoded the result (report included); the cache stored that very Blob.
    const blob = made?.encoded
    expect(blob).toBeInstanceOf(Blob)
    expect(stores.values.map.get(made?.key ?? '')).toBe(blob)
    expect(decodeResult(new Uint8Array(await (blob as Blob).arrayBuffer())).report).toEqual(REPORT)
    // The echo's job named that Blob as where its input sits, so the page sent the handle.
    const posted = workers.made.flatMap((w) => w.received).filter((m) => m.type === 'run')
    const echoJob = posted.find((m) => m.type === 'run' && m.job.type === 'test/echo-audio')
    expect(echoJob?.type === 'run' && echoJob.encoded?.audio).toEqual({ blob, port: 'audio' })
    expect(echoJob?.type === 'run' && echoJob.job.inputs.audio).toBeUndefined()
    expect(ran.results.get('e')?.outputs?.audio).toEqual(made?.outputs?.audio)

    // A later visit: a fresh memory tier over the same IndexedDB.
    const reopened = await IdbCache.open({ maxBytes: 64 * 1024 ** 2, stores })
    const again = await execute(graph, {
      registry,
      files: () => Promise.reject(new Error('no files')),
      runner: pool,
      cache: new TieredCache(new MemoryCache(), reopened),
      targets: ['r'],
    })
    const cached = again.results.get('r')
    expect(cached?.state).toBe('cached')
    expect(cached?.report).toEqual(REPORT)
    expect(cached?.encoded).toBe(blob) // read as the stored Blob, never re-encoded
    pool.dispose()
  })

  it("is kept by the CLI's disk cache", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-report-'))
    try {
      const cache = new TieredCache(new MemoryCache(), new DiskCache(dir))
      const files = () => Promise.reject(new Error('no files'))
      const first = await execute(graph, { registry, files, cache, targets: ['r'] })
      expect(first.results.get('r')).toMatchObject({ state: 'done', report: REPORT })
      // A new process: nothing in memory, the entry read from disk.
      const disk = new TieredCache(new MemoryCache(), new DiskCache(dir))
      const again = await execute(graph, { registry, files, cache: disk, targets: ['r'] })
      expect(again.results.get('r')).toMatchObject({ state: 'cached', report: REPORT })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads entries written before reports existed (outputs only) as results without one', () => {
    const outputs = { n: { kind: 'number' as const, value: 2 } }
    expect(decodeResult(encodeOutputs(outputs))).toEqual({ outputs })
    // SYNV1 by hand: the magic, the header's length, the header (the outputs themselves).
    const header = new TextEncoder().encode(JSON.stringify(outputs))
    const v1 = new Uint8Array(9 + header.length)
    v1.set(new TextEncoder().encode('SYNV1'), 0)
    new DataView(v1.buffer).setUint32(5, header.length, true)
    v1.set(header, 9)
    expect(decodeResult(v1)).toEqual({ outputs })
  })
})
