import { threadRunner } from './thread-pool'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { registry as shippedNodes } from '../../nodes'
import { allowRemoteModelsHeadless } from '../diffusion/remote-permission'
import { MemoryCache, TieredCache, type ValueCache } from '../engine/cache'
import { describeError, UserError } from '../engine/errors'
import {
  execute,
  GraphError,
  type ExecutionEvent,
  type ExecutionResult,
  type NodeResult,
} from '../engine/executor'
import { parseGraphText } from '../engine/validate'
import { pngProvenanceText } from '../media/provenance'
import type { GraphDocument } from '../engine/document'
import type { FileResolver } from '../engine/keys'
import { paramValues } from '../engine/params'
import { collectProvenance, type ProvenanceRecord } from '../engine/provenance'
import type { NodeRegistry } from '../engine/registry'
import { HelpRequested, parseRenderArgs, USAGE, type RenderArgs } from './args'
import { DiskCache } from './disk-cache'
import { dumpResults } from './dump'
import { executeInWindows, frameNodes, withoutFrames } from './frames-render'
import { writeListening } from './listen'
import { inputFilesOf, plannedOutputs, RunOutputs } from './write-output'
import { nodeFileResolver } from './files'
import { describeRestored, readGraphSource, sourceWarnings } from './graph-source'
import { checkModelCommand, isCheckModelCommand } from './check-model'
import { farm, isFarmCommand } from './farm'
import { applyCommandLine } from './graph-edits'
import { installInferenceBackend } from './inference'
import { providersOfRun } from '../diffusion/run-report'
import { checkModelFolders, isDiffusionNode, tinyModelWarnings } from './models-flags'

export interface Io {
  out(line: string): void
  err(line: string): void
}

const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) }

/**
 * Exit codes: 0 all ran, 1 some node failed, 2 the command or graph is unusable. `registry` is
 * the node kinds a graph may use (nodes/index.ts's unless given): whatever they export is written.
 */
export async function render(
  argv: string[],
  io: Io = consoleIo,
  registry: NodeRegistry = shippedNodes,
): Promise<number> {
  if (isFarmCommand(argv)) return farm(argv, io, render)
  if (isCheckModelCommand(argv)) return checkModelCommand(argv, io)
  let args: RenderArgs
  try {
    args = parseRenderArgs(argv)
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.out(USAGE)
      return 0
    }
    io.err(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  try {
    return await renderGraph(args, io, registry)
  } catch (error) {
    if (error instanceof GraphError) {
      io.err(`The graph cannot run:\n${error.problems.map((p) => `  - ${p.message}`).join('\n')}`)
    } else {
      const { message, hint } = describeError(error)
      io.err(hint ? `${message}\n  ${hint}` : message)
    }
    return 2
  }
}

async function renderGraph(args: RenderArgs, io: Io, registry: NodeRegistry): Promise<number> {
  const source = await readGraphSource(args.graph)
  const loaded = parseGraphText(source.text, registry)
  if (!loaded.ok) throw new GraphError(loaded.problems)
  const log = args.quiet ? () => undefined : (line: string) => io.err(line)
  const restored = describeRestored(source)
  if (restored) log(restored)
  for (const note of loaded.notes) io.err(note)
  const graph = applyCommandLine(loaded.graph, args, registry)
  await checkModelFolders(graph, registry)
  for (const warning of await tinyModelWarnings(graph, registry)) io.err(`! ${warning}`)
  if (graph.nodes.some((n) => isDiffusionNode(n, registry)))
    await installInferenceBackend(args.ort, (line) => io.err(line))
  const printer = progressPrinter(log, (line) => io.err(line))
  const files = nodeFileResolver(source.baseDir)
  allowRemoteModelsHeadless(args.allowRemoteModels)
  const inputs = inputFilesOf(graph, registry, source.baseDir, source.path)
  if (source.restoredFrom) inputs[0].what = 'the file this graph was restored from'
  const outputs = new RunOutputs(inputs)
  // Names that collide, or land on an input, are refused before any work is done.
  for (const planned of plannedOutputs(graph, registry))
    await outputs.check(args.out, planned.fileName, `output node "${planned.node}"`)
  for (const warning of await sourceWarnings(graph, source.restoredFrom?.provenance, files))
    io.err(`! ${warning}`)
  // Frame sequences run a window at a time, written as they are made (frames-render.ts);
  // --dump wants every port whole, so it keeps them in memory as before.
  const windowed = !args.dump && frameNodes(graph, registry).size > 0
  if ((args.frames || args.joinFrames) && !windowed)
    throw new UserError(
      args.dump
        ? '--dump writes whole sequences: it cannot go with --frames or --join-frames.'
        : `--${args.frames ? 'frames' : 'join-frames'}: this graph makes no frames.`,
    )
  const threads = threadRunner(registry)
  const cache = cacheFor(args, io, windowed)
  const nodeOf = (id: string) => graph.nodes.find((n) => n.id === id)
  const options = {
    registry,
    files,
    // Windows re-use what feeds the frames from memory, even with --no-cache.
    cache: windowed ? withoutFrames(cache ?? new MemoryCache()) : cache,
    runner: threads?.runner,
    onEvent: (event: ExecutionEvent) => printer(event),
    // Only what is written stays to the end (output nodes' files, --listen's lanes among
    // them); --dump writes every port, so it keeps everything.
    ...(!args.dump && {
      keep: (id: string) => registry.get(nodeOf(id)?.type ?? '')?.export !== undefined,
    }),
  }
  const result: ExecutionResult & { written?: string[] } = await (
    windowed
      ? executeInWindows(graph, options, {
          mode: args.frames
            ? { kind: 'range', window: args.frames }
            : args.joinFrames
              ? { kind: 'join' }
              : { kind: 'all' },
          outDir: args.out,
          outputs,
          nameOf: (id) => {
            const node = nodeOf(id)
            const def = node && registry.get(node.type)
            return String(def ? paramValues(def.params, node.params).name : id)
          },
          pngText: async (id) =>
            pngProvenanceText(
              graph,
              await collectProvenance(graph, registry, { output: id, files }),
            ),
          log,
        })
      : execute(graph, options)
  ).finally(() => threads?.dispose())
  const results = [...result.results.values()]
  const notes: string[] = []
  const written = [...(result.written ?? [])]
  // A range run leaves only its frames: the join writes everything else, once.
  if (!args.frames)
    written.push(...(await writeOutputs(graph, registry, results, args.out, files, outputs, notes)))
  if (args.dump) await dumpResults(args.dump, results, outputs)
  if (args.listen && !args.frames) {
    const listened = await writeListening(args.listen, graph, results, files, registry)
    written.push(...listened.written)
    for (const s of listened.skipped) notes.push(`listen: ${s.node} left out (${s.reason})`)
  }
  if (args.report) await writeReport(args.report, results, result.ms, outputs)
  if (!args.quiet) printSummary(results, result.ms, written, io)
  if (!args.quiet) for (const note of notes) io.out(note)
  // Headless, nobody will connect it: a node that needs an input is a failed run too.
  const failed = results.filter((r) => ['error', 'blocked', 'needs-input'].includes(r.state))
  for (const f of failed) {
    io.err(
      `✗ ${f.node} (${f.type}): ${f.error?.message ?? f.state}${f.error?.hint ? `\n  ${f.error.hint}` : ''}`,
    )
  }
  return failed.length > 0 ? 1 : 0
}

/**
 * The disk cache, with memory in front where frames run a window at a time (each window
 * re-reads what feeds them); damaged entries are said on stderr, removed and recomputed. A
 * single run reads each key once, so there memory in front would only hold values to the end.
 */
function cacheFor(args: RenderArgs, io: Io, windowed: boolean): ValueCache | undefined {
  if (args.noCache) return undefined
  const dir =
    args.cache ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'synesthete')
  const onDamaged = (key: string, problem: string) =>
    io.err(`! The cache entry ${key.slice(0, 12)}… in ${dir} ${problem}: computing it again.`)
  // A memory tier of 0 bytes keeps nothing: TieredCache still checks what the disk gives.
  const memory = new MemoryCache(windowed ? undefined : 0)
  return new TieredCache(memory, new DiskCache(dir, undefined, { onDamaged }), onDamaged)
}

/**
 * Writes the files each node's definition exports (`export` on the definition: Audio Output's
 * WAV, Image Output's PNG, Video Output's zip and WAV…), through `outputs` (atomic, never onto
 * an input, never twice). What an export says about its files (Video Output's ffmpeg command)
 * is added to `notes`.
 */
async function writeOutputs(
  graph: GraphDocument,
  registry: NodeRegistry,
  results: NodeResult[],
  outDir: string,
  files: FileResolver,
  outputs: RunOutputs,
  notes: string[],
): Promise<string[]> {
  const written: string[] = []
  for (const result of results) {
    const node = graph.nodes.find((n) => n.id === result.node)
    const def = registry.get(result.type)
    const values = result.outputs
    // Nothing to write for a node that failed, was blocked or muted.
    if (!node || !def?.export || !values || Object.keys(def.outputs).some((p) => !values[p]))
      continue
    let record: Promise<ProvenanceRecord> | undefined
    const made = def.export(values, paramValues(def.params, node.params), {
      graph,
      node: node.id,
      provenance: () => (record ??= collectProvenance(graph, registry, { output: node.id, files })),
      folder: outDir,
      note: (line) => notes.push(line),
    })
    for (const file of made)
      written.push(
        await outputs.write(outDir, file.fileName, await file.bytes(), `output node "${node.id}"`),
      )
  }
  return written
}

async function writeReport(
  path: string,
  results: NodeResult[],
  totalMs: number,
  outputs: RunOutputs,
): Promise<void> {
  const nodes = results.map((r) => ({
    node: r.node,
    type: r.type,
    state: r.state,
    ms: round(r.ms),
    cached: r.state === 'cached',
    // What the node reported (a diffusion node: where each network ran…), cached runs too.
    ...(r.report?.providers?.length && { provider: providersOfRun(r.report) }),
    ...(r.report && { report: r.report }),
  }))
  const text = JSON.stringify({ nodes, totalMs: round(totalMs) }, null, 2)
  await outputs.write(
    dirname(resolve(path)),
    basename(path),
    new TextEncoder().encode(text),
    '--report',
  )
}

/** Progress lines through `log` (silent with --quiet); warnings always reach `warn`. */
/** A node's progress is printed at most this often: long work says it is alive, no flood. */
export const PROGRESS_EVERY_MS = 10_000

/**
 * Lines on stderr as the run goes: each node as it starts, its progress (percent and the
 * node's own words, e.g. a Griffin-Lim iteration) every PROGRESS_EVERY_MS while it runs, and
 * warnings. `now` is a seam for tests.
 */
export function progressPrinter(
  log: (line: string) => void,
  warn: (line: string) => void,
  now: () => number = Date.now,
): (event: ExecutionEvent) => void {
  const lastLine = new Map<string, number>()
  return (event) => {
    if (event.type === 'warning') warn(`! ${event.node ? `${event.node}: ` : ''}${event.message}`)
    if (event.type === 'state' && event.state === 'running') {
      lastLine.set(event.node, now())
      log(`… ${event.node}`)
    }
    if (event.type === 'progress') {
      const at = now()
      if (at - (lastLine.get(event.node) ?? at) < PROGRESS_EVERY_MS) return
      lastLine.set(event.node, at)
      const percent = `${Math.floor(Math.min(1, Math.max(0, event.fraction)) * 100)} %`
      log(`… ${event.node} ${percent}${event.message ? ` (${event.message})` : ''}`)
    }
  }
}

function printSummary(results: NodeResult[], totalMs: number, written: string[], io: Io): void {
  const width = Math.max(4, ...results.map((r) => r.node.length))
  for (const r of results) {
    const time = r.state === 'done' ? `${round(r.ms)} ms` : r.state
    io.out(`${r.node.padEnd(width)}  ${r.type.padEnd(20)}  ${time}`)
  }
  const cached = results.filter((r) => r.state === 'cached').length
  io.out(`${results.length} nodes, ${cached} from cache, ${round(totalMs)} ms in all`)
  for (const path of written) io.out(`wrote ${path}`)
}

const round = (ms: number) => Math.round(ms * 10) / 10

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await render(process.argv.slice(2))
}
