/**
 * Frame sequences headless in bounded memory. A graph that makes frames (Spectrum Frames →
 * Spectrum Picture → … → Video Output) runs a window of WINDOW_FRAMES frames at a time
 * (ExecuteOptions.frames): the first window runs the whole graph; later ones run only the nodes
 * that carry frames, whatever feeds them coming from the run's memory cache (frames themselves
 * are never cached). Each Video Output writes its window's frames to disk before the next
 * window is made, so memory holds about one window per node, however long the sequence.
 *
 * A farm splits a sequence across machines the same way: a `--frames FROM:COUNT` run makes its
 * range and leaves its frames as files in OUT/.NAME.frames/ (PNGs; spectra rows as .npy);
 * a `--join-frames` run makes no frames, zips the PNGs (or writes the spectra CSV) in order,
 * and writes the soundtrack and every other output once.
 */
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { ValueCache } from '../engine/cache'
import { makesFrames } from '../engine/define-node'
import { descendantsOf, type GraphDocument } from '../engine/document'
import { UserError } from '../engine/errors'
import {
  execute,
  type ExecuteOptions,
  type ExecutionEvent,
  type ExecutionResult,
  type NodeResult,
} from '../engine/executor'
import type { NodeRegistry } from '../engine/registry'
import type { FramesValue, FrameWindow, Value } from '../engine/values'
import { frameIndex, framesTotal } from '../media/frames'
import {
  frameEntryName,
  frameFileName,
  framesStem,
  framePng,
  pngFramesProblem,
  videoExportFiles,
  writesSpectra,
  ZIP_TIME,
} from '../media/frames-export'
import { readNpy, writeNpyFloat32 } from '../media/npy'
import { StoredZip } from '../media/stored-zip'
import { parseGraphText } from '../engine/validate'
import type { RenderArgs } from './args'
import { nodeFileResolver } from './files'
import { applyCommandLine } from './graph-edits'
import { readGraphSource } from './graph-source'
import type { RunOutputs } from './write-output'

/** Frames per window: 32 pictures of 512² RGB are 100 MB per node that holds them. */
export const WINDOW_FRAMES = 32

/** The nodes that carry frames: those that start sequences and everything downstream. */
export function frameNodes(graph: GraphDocument, registry: NodeRegistry): Set<string> {
  const found = new Set<string>()
  for (const node of graph.nodes) {
    const def = registry.get(node.type)
    if (def && makesFrames(def)) for (const id of descendantsOf(graph, node.id)) found.add(id)
  }
  return found
}

/** A cache that keeps everything but frames (frame windows are made once and written). */
export function withoutFrames(cache: ValueCache): ValueCache {
  return {
    get: (key) => cache.get(key),
    set: (key, outputs) =>
      Object.values(outputs).some((v: Value) => v.kind === 'frames')
        ? Promise.resolve()
        : cache.set(key, outputs),
  }
}

/** Which frames a run makes: all (local), a range (`--frames`), or none but the join. */
export type FramesMode = { kind: 'all' } | { kind: 'range'; window: FrameWindow } | { kind: 'join' }

export interface FramesWriting {
  mode: FramesMode
  outDir: string
  outputs: RunOutputs
  /** The PNG text (provenance) for the frames of a Video Output node. */
  pngText(node: string): Promise<Record<string, string>>
  /** The Video Output's file name param. */
  nameOf(node: string): string
  /** One line per window, for the progress log. */
  log(line: string): void
}

export interface WindowedResult extends ExecutionResult {
  /** Files the frames went to. */
  written: string[]
}

/**
 * Runs `graph` a window of frames at a time and writes each Video Output's frames as they are
 * made. Frame nodes' results are merged over the windows (time summed, the first failure
 * kept) and hold an empty window of their last value: its soundtrack, size and range for
 * whoever writes the rest, none of its frames.
 */
export async function executeInWindows(
  graph: GraphDocument,
  options: ExecuteOptions & { registry: NodeRegistry },
  writing: FramesWriting,
): Promise<WindowedResult> {
  const started = performance.now()
  const carriers = frameNodes(graph, options.registry)
  const outputsOf = graph.nodes.filter((n) => n.type === 'frames/output').map((n) => n.id)
  const { mode } = writing
  let start = mode.kind === 'range' ? mode.window.start : 0
  const end = mode.kind === 'range' ? mode.window.start + mode.window.count : Infinity
  const sinks = new Map<string, FramesSink>()
  const merged = new Map<string, NodeResult>()
  let whole: number | undefined
  let first = true
  try {
    for (;;) {
      const count = mode.kind === 'join' ? 0 : Math.min(WINDOW_FRAMES, end - start)
      const window = { start, count }
      const onEvent = (event: ExecutionEvent) => {
        // Later windows re-run the same frame nodes: their "running" lines would repeat.
        if (!first && event.type === 'state' && event.state === 'running') return
        options.onEvent?.(event)
      }
      const { results } = await execute(graph, {
        ...options,
        frames: window,
        ...(!first && { targets: [...carriers] }),
        onEvent,
      })
      for (const result of results.values()) mergeResult(merged, result, carriers.has(result.node))
      const failed = [...results.values()].some(
        (r) => carriers.has(r.node) && r.state !== 'done' && r.state !== 'cached',
      )
      if (failed) break
      for (const id of outputsOf) {
        const value = results.get(id)?.outputs?.video
        if (value?.kind !== 'frames') continue
        whole = Math.max(whole ?? 0, framesTotal(value))
        let sink = sinks.get(id)
        if (!sink) {
          sink = await openSink(id, value, writing)
          sinks.set(id, sink)
        }
        await sink.add(value)
      }
      first = false
      const last = Math.min(end, whole ?? 0)
      if (mode.kind === 'join' || start + count >= last) break
      writing.log(`… frames ${start + 1}–${start + count} of ${whole}`)
      start += count
    }
    const written: string[] = []
    const allDone = outputsOf.every((id) => merged.get(id)?.state === 'done')
    for (const sink of sinks.values()) {
      if (allDone) written.push(...(await sink.finish()))
      else await sink.abort()
    }
    return { results: merged, ms: performance.now() - started, written }
  } catch (error) {
    for (const sink of sinks.values()) await sink.abort()
    throw error
  }
}

/** Keeps a node's first result, or for frame nodes the sum over windows without the frames. */
function mergeResult(merged: Map<string, NodeResult>, result: NodeResult, frames: boolean): void {
  const earlier = merged.get(result.node)
  const outputs = frames ? emptied(result.outputs) : result.outputs
  if (!earlier) {
    merged.set(result.node, { ...result, ...(outputs && { outputs }) })
    return
  }
  if (!frames) return
  const failed = earlier.state === 'error' || earlier.state === 'blocked'
  merged.set(result.node, {
    ...(failed ? earlier : result),
    ...(outputs && !failed && { outputs }),
    ms: earlier.ms + result.ms,
    state: failed ? earlier.state : result.state === 'cached' ? earlier.state : result.state,
  })
}

/** The outputs with every frame sequence reduced to an empty window of itself. */
function emptied(outputs: NodeResult['outputs']): NodeResult['outputs'] {
  if (!outputs) return outputs
  return Object.fromEntries(
    Object.entries(outputs).map(([port, value]) => [
      port,
      value.kind === 'frames'
        ? {
            ...value,
            frames: [],
            range: { start: frameIndex(value, value.frames.length), total: framesTotal(value) },
          }
        : value,
    ]),
  )
}

interface FramesSink {
  add(value: FramesValue): Promise<void>
  /** Closes the output; returns the paths written. */
  finish(): Promise<string[]>
  abort(): Promise<void>
}

/** The folder a range run leaves a Video Output's frames in, for the join. */
export function partsFolder(outDir: string, stem: string): string {
  return join(outDir, `.${stem}.frames`)
}

function partName(value: FramesValue, index: number): string {
  return writesSpectra(value)
    ? frameFileName(index).replace(/\.png$/, '.npy')
    : frameFileName(index)
}

async function openSink(node: string, value: FramesValue, w: FramesWriting): Promise<FramesSink> {
  const stem = framesStem(w.nameOf(node))
  const writer = `output node "${node}"`
  const spectra = writesSpectra(value)
  if (!spectra) {
    const problem = pngFramesProblem(value)
    if (problem) throw problem
  }
  const text = spectra ? {} : await w.pngText(node)
  const parts = partsFolder(w.outDir, stem)
  if (w.mode.kind === 'range')
    return {
      add: async (v) => {
        for (let i = 0; i < v.frames.length; i++) {
          const name = partName(v, frameIndex(v, i))
          const bytes = spectra ? writeNpyFloat32(v.frames[i][0], [v.width]) : framePng(v, i, text)
          await w.outputs.write(parts, name, bytes, writer)
        }
      },
      finish: () => Promise.resolve([]),
      abort: () => Promise.resolve(),
    }
  if (spectra) return spectraSink(node, w, stem, parts)
  const channel = new PartsChannel()
  const writing = w.outputs.write(w.outDir, `${stem}.zip`, channel, writer)
  writing.catch((error: unknown) => channel.broken(error))
  const zip = new StoredZip(ZIP_TIME)
  const add = (index: number, png: Uint8Array) =>
    channel.push(zip.add(frameEntryName(stem, index), png))
  return {
    add: async (v) => {
      if (w.mode.kind === 'join') {
        // The range runs' PNGs, in order; each was made and checked by its run.
        for (let i = 0; i < framesTotal(v); i++) await add(i, await readPart(parts, i))
        return
      }
      for (let i = 0; i < v.frames.length; i++) await add(frameIndex(v, i), framePng(v, i, text))
    },
    finish: async () => {
      await channel.push([zip.finish()])
      channel.close()
      const path = await writing
      if (w.mode.kind === 'join') await rm(parts, { recursive: true, force: true })
      return [path]
    },
    abort: async () => {
      channel.broken(new Error('The run stopped before its frames were all made.'))
      await writing.catch(() => undefined)
    },
  }
}

/**
 * Parts handed from the window loop to a file being written (RunOutputs.write reads them as an
 * AsyncIterable): `push` waits until the writer has taken what it was given, so no more than a
 * window is ever waiting in memory; `broken` ends both sides with an error.
 */
class PartsChannel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = []
  private closed = false
  private failure: { error: Error } | undefined
  private wakeReader: (() => void) | undefined
  private readonly drained: { resolve: () => void; reject: (e: Error) => void }[] = []

  push(parts: readonly Uint8Array[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error)
    this.queue.push(...parts)
    this.wake()
    return new Promise((resolve, reject) => this.drained.push({ resolve, reject }))
  }

  close(): void {
    this.closed = true
    this.wake()
  }

  broken(reason: unknown): void {
    const error = reason instanceof Error ? reason : new Error(String(reason))
    this.failure ??= { error }
    for (const waiting of this.drained.splice(0)) waiting.reject(error)
    this.wake()
  }

  private wake(): void {
    const wake = this.wakeReader
    this.wakeReader = undefined
    wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure.error
      const part = this.queue.shift()
      if (part) {
        yield part
        continue
      }
      for (const waiting of this.drained.splice(0)) waiting.resolve()
      if (this.closed) return
      await new Promise<void>((wake) => (this.wakeReader = wake))
    }
  }
}

/** Spectra are small (a row per frame): gathered, then written whole as CSV and JSON. */
function spectraSink(node: string, w: FramesWriting, stem: string, parts: string): FramesSink {
  let gathered: FramesValue | undefined
  return {
    add: async (v) => {
      const rows =
        w.mode.kind === 'join'
          ? await Promise.all(
              Array.from({ length: framesTotal(v) }, async (_, i) => [
                Float32Array.from(readNpy(await readPart(parts, i, '.npy')).data),
              ]),
            )
          : v.frames
      gathered = gathered
        ? { ...gathered, frames: [...gathered.frames, ...rows] }
        : { ...v, frames: rows }
      delete gathered.range
    },
    finish: async () => {
      if (!gathered) return []
      const { audio: _soundtrack, ...rows } = gathered // the soundtrack is written once, apart
      const written: string[] = []
      for (const f of videoExportFiles(rows, { name: stem }))
        written.push(
          await w.outputs.write(w.outDir, f.fileName, await f.bytes(), `output node "${node}"`),
        )
      if (w.mode.kind === 'join') await rm(parts, { recursive: true, force: true })
      return written
    },
    abort: () => Promise.resolve(),
  }
}

async function readPart(parts: string, index: number, ext = '.png') {
  const name = frameFileName(index).replace(/\.png$/, ext)
  return readFile(join(parts, name)).catch((error: unknown) => {
    throw new UserError(
      `Frame ${index + 1} is missing from ${parts} (${(error as Error).message}).`,
      'Every --frames range must finish before --join-frames; run the missing range again.',
    )
  })
}

/**
 * How many frames the graph's longest sequence has, or undefined when it makes none. The nodes
 * that start sequences run on an empty window (Spectrum Frames reads its sound's length and
 * analyses nothing): how a farm plans a video's ranges before any frame is made. A graph whose
 * sequence cannot start (a missing file) also gives undefined: its run then says why.
 */
export async function countFrames(
  args: RenderArgs,
  registry: NodeRegistry,
): Promise<number | undefined> {
  const source = await readGraphSource(args.graph)
  const loaded = parseGraphText(source.text, registry)
  if (!loaded.ok) return undefined
  const graph = applyCommandLine(loaded.graph, args, registry)
  const starts = graph.nodes.filter((n) => {
    const def = registry.get(n.type)
    return def !== undefined && makesFrames(def) && n.mode === 'normal'
  })
  if (starts.length === 0) return undefined
  const { results } = await execute(graph, {
    registry,
    files: nodeFileResolver(source.baseDir),
    targets: starts.map((n) => n.id),
    frames: { start: 0, count: 0 },
  })
  let total: number | undefined
  for (const result of results.values())
    for (const value of Object.values(result.outputs ?? {}))
      if (value.kind === 'frames') total = Math.max(total ?? 0, framesTotal(value))
  return total
}
