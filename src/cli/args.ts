import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { FrameWindow } from '../engine/values'

export interface RenderArgs {
  graph: string
  inputs: { node: string; file: string }[]
  sets: { node: string; param: string; value: string }[]
  bypass: string[]
  out: string
  dump?: string
  listen?: string
  cache?: string
  noCache: boolean
  report?: string
  model?: string
  modelB?: string
  /** Which onnxruntime runs Stable Diffusion: native (onnxruntime-node) or WASM (onnxruntime-web). */
  ort?: 'node' | 'web'
  /** Let Stable Diffusion nodes download a model named by URL or manifest id. */
  allowRemoteModels: boolean
  quiet: boolean
  /** Only these frames of every frame sequence, left as PNGs for a join (a farm's range job). */
  frames?: FrameWindow
  /** Join the PNGs range runs left into each Video Output's zip (a farm's final job). */
  joinFrames: boolean
}

export const USAGE = `Usage: npm run render -- GRAPH.json [options]

Runs a Synesthete graph headless: a preset name such as "visual-sampling", a .json file, or a
PNG or WAV exported by Synesthete (each carries the graph that made it).

  --input NODE=FILE        give a Load Audio / Load Image node a file
  --set NODE.PARAM=VALUE   change a param (repeatable)
  --bypass NODE            pass the node's input straight through (repeatable)
  --model DIR              the model folder for every diffusion node (Stable Diffusion,
                           Stable Diffusion per Frame, Repaint Long Picture)
  --model-b DIR            the model folder for every model B slot
  --ort node|web           native onnxruntime (all cores; CUDA where installed, the default
                           where it loads) or onnxruntime-web's WASM
  --allow-remote-models    let a graph's model named by URL or id (sd15…) be downloaded;
                           without it nothing is fetched from the network
  --out DIR                where output nodes write WAV/PNG files (default ./out)
  --dump DIR               also write every output port as float32 NODE.PORT.npy + manifest.json
  --listen DIR             the listening room: each Audio Output as a loudness-matched WAV,
                           listen.json (loudness, true peak, gain) and listen.png (spectrograms)
  --cache DIR              keep results in DIR (default ~/.cache/synesthete)
  --no-cache               compute everything afresh, store nothing
  --report FILE            per-node timing and cache hits as JSON
  --quiet                  print only errors and warnings
  --frames FROM:COUNT      only frames FROM … FROM+COUNT−1 (from 0) of every frame sequence,
                           each Video Output leaving them as PNGs in OUT/.NAME.frames/ for
                           --join-frames (a farm splits long videos so; see README)
  --join-frames            zip the PNGs that --frames runs left, and write everything else

Check a model folder: npm run render -- --check-model DIR [--ort node|web]

Many files, one machine or a farm (see README, "The render farm"):
  --each NODE=GLOB         run once per matching file, outputs in OUT/<file stem>/
  --concurrency N          runs at once here (default: every core), or worker processes
  --queue redis://H:P      submit the runs as BullMQ jobs and wait (--detach: return at once;
                           --status: show the batch)
  --worker --queue URL     run jobs from the queue (--cache DIR on shared storage)`

/** Parses the command line; throws an Error with a usage hint on anything malformed. */
export function parseRenderArgs(argv: string[]): RenderArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: 'string', multiple: true, default: [] },
      set: { type: 'string', multiple: true, default: [] },
      bypass: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'out' },
      dump: { type: 'string' },
      listen: { type: 'string' },
      cache: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      report: { type: 'string' },
      model: { type: 'string' },
      'model-b': { type: 'string' },
      ort: { type: 'string' },
      'allow-remote-models': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      frames: { type: 'string' },
      'join-frames': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) throw new HelpRequested()
  if (positionals.length !== 1)
    throw new Error('Give exactly one graph (a preset name, a .json file, or a PNG/WAV it made).')
  if (values.cache && values['no-cache'])
    throw new Error('Use either --cache DIR or --no-cache, not both.')
  const ort = values.ort
  if (ort !== undefined && ort !== 'node' && ort !== 'web')
    throw new Error(`--ort takes "node" or "web", not "${ort}".`)
  if (values.frames !== undefined && values['join-frames'])
    throw new Error('Use either --frames FROM:COUNT or --join-frames, not both.')
  const here = (path: string | undefined) => path && resolve(invocationDir(), path)
  return {
    graph: positionals[0],
    inputs: values.input.map((spec) => {
      const [node, file] = splitOnce(spec, '=', '--input NODE=FILE')
      return { node, file: resolve(invocationDir(), file) }
    }),
    sets: values.set.map((spec) => {
      const [target, value] = splitOnce(spec, '=', '--set NODE.PARAM=VALUE')
      const [node, param] = splitOnce(target, '.', '--set NODE.PARAM=VALUE')
      return { node, param, value }
    }),
    bypass: values.bypass,
    out: resolve(invocationDir(), values.out),
    dump: here(values.dump),
    listen: here(values.listen),
    cache: here(values.cache),
    noCache: values['no-cache'],
    report: here(values.report),
    model: here(values.model),
    modelB: here(values['model-b']),
    ort,
    allowRemoteModels: values['allow-remote-models'],
    quiet: values.quiet,
    ...(values.frames !== undefined && { frames: parseFrameRange(values.frames) }),
    joinFrames: values['join-frames'],
  }
}

/** `--frames FROM:COUNT`: whole numbers, FROM ≥ 0, COUNT ≥ 1. */
function parseFrameRange(text: string): FrameWindow {
  const match = /^(\d+):(\d+)$/.exec(text)
  const start = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || !Number.isSafeInteger(start) || !Number.isSafeInteger(count) || count < 1)
    throw new Error(
      `--frames takes FROM:COUNT, whole numbers with COUNT ≥ 1 (e.g. 0:48), not "${text}".`,
    )
  return { start, count }
}

export class HelpRequested extends Error {}

/**
 * The folder the person ran the command in, which paths on the command line are relative to:
 * `npm run` starts scripts in the package root but keeps the caller's folder in INIT_CWD.
 */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd()
}

function splitOnce(text: string, separator: string, form: string): [string, string] {
  const at = text.indexOf(separator)
  if (at <= 0 || at === text.length - 1) throw new Error(`"${text}" is not of the form ${form}.`)
  return [text.slice(0, at), text.slice(at + 1)]
}
