import type { GraphDocument } from './document'
import type { ParamSpecs, ParamValues, StoredParamValues } from './params'
import type { ProvenanceRecord } from './provenance'
import type { FrameWindow, ImageValue, ValueKind, ValueOfKind } from './values'

/**
 * An input port: its value kind, or a kind marked optional (the node runs without it) or
 * mixable (it must be connected, but a muted source counts as silence: the node runs on its
 * other inputs, as Mix does). Either way `run` sees `undefined` for a port with nothing in it.
 */
export type InputSpec =
  | ValueKind
  | { kind: ValueKind; optional: true; label?: string }
  | { kind: ValueKind; mixable: true; label?: string }
export type InputSpecs = Record<string, InputSpec>
export type OutputSpecs = Record<string, ValueKind>

export function kindOfInput(spec: InputSpec): ValueKind {
  return typeof spec === 'string' ? spec : spec.kind
}

export function isOptionalInput(spec: InputSpec): boolean {
  return typeof spec !== 'string' && 'optional' in spec && spec.optional
}

/** Whether a muted source on this input counts as nothing there, not as a missing value. */
export function takesSilence(spec: InputSpec): boolean {
  return typeof spec !== 'string' && ('optional' in spec || 'mixable' in spec)
}

type InputValue<S extends InputSpec> = S extends ValueKind
  ? ValueOfKind[S]
  : S extends { kind: infer K extends ValueKind }
    ? ValueOfKind[K] | undefined
    : never

export type InputValues<I extends InputSpecs> = { [K in keyof I]: InputValue<I[K]> }
export type OutputValues<O extends OutputSpecs> = { [K in keyof O]: ValueOfKind[O[K]] }

/**
 * Something a node wants people to know about a result it still produced (a damaged file it
 * loaded what it could of). Data, not prose: tools branch on `code` and read `data`; the
 * editor shows `message` on the node, the CLI prints it on stderr.
 */
export interface NodeWarning {
  /** Stable id of the kind of warning, e.g. `audio/damaged`. */
  code: string
  /** One sentence for people. */
  message: string
  /** The figures behind the message (e.g. `lostFraction`, `lostSec`). */
  data?: Record<string, number | string | boolean>
}

/** Where one network of a model node ran, and why there when the node knows. */
export interface ProviderRun {
  /** 'text_encoder', 'unet', 'vae_decoder', 'vae_encoder'. */
  network: string
  /** The execution provider: 'webgpu', 'wasm', 'cpu (onnxruntime-node)', 'cuda (onnxruntime-node)'. */
  provider: string
  /** Why this provider, e.g. 'adapter lacks shader-f16'. */
  note?: string
}

/**
 * What a node says about how it made its result, as data (`ctx.report`): it rides on the
 * node's result through workers and the cache, so a cached result still says where it was
 * computed. The editor's node footer and status bar and the CLI's `--report` read these
 * fields; nothing is parsed back from prose.
 */
export interface RunReport {
  /** Where each network ran; model slots that take turns, each one's networks in turn. */
  providers?: ProviderRun[]
  /** Why the main network (the UNet) ran where it did, when it did not simply run on WebGPU. */
  providerWhy?: string
  /** Denoising steps run. */
  steps?: number
  /** The scheduler that ran them ('euler', 'dpm++'). */
  scheduler?: string
  /** What was done, where steps do not say it: 'encoded', '12 chunks', '40 frames, 3 kept…'. */
  work?: string
  /** The size of the picture made, in pixels. */
  size?: { width: number; height: number }
  /** The tiny test model made it: its picture is noise, not a painting. */
  tinyModel?: boolean
}

/**
 * What a node looks at to know it was cancelled: the reading half of an AbortSignal (an
 * AbortSignal is one). Hosts may give their own: a worker's also reads the page's shared cancel
 * flag each time it is looked at, since a synchronous loop never receives the 'cancel' message
 * (src/runtime/worker-host.ts).
 */
export interface CancelSignal {
  readonly aborted: boolean
  readonly reason: unknown
  throwIfAborted(): void
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** What a running node may ask of the world: progress, cancellation, seeded randomness. */
export interface RunContext {
  signal: CancelSignal
  /** Report progress in 0..1, optionally with a word on what is happening. */
  progress(fraction: number, message?: string): void
  /** Uniform in [0, 1), seeded from the node's `seed` param (0 when it has none). */
  random(): number
  /** Shows a picture of the work in progress, where the host can (the editor can, the CLI not). */
  preview?(image: ImageValue): void
  /**
   * Reports a warning about this run's result. A result that came with a warning is not
   * cached, so the warning shows again on every run rather than vanishing on a cache hit.
   */
  warn?(warning: NodeWarning): void
  /**
   * Given to nodes that make frame sequences from other values (`makesFrames`) when a long
   * sequence is rendered a window at a time: make only these frames, and say where they sit
   * (`FramesValue.range`). Absent: make the whole sequence.
   */
  frames?: FrameWindow
  /**
   * Says how the result was made (see `RunReport`); later calls add to or replace fields of
   * earlier ones. Optional for hosts; every runner of ours gives it.
   */
  report?(report: RunReport): void
}

/**
 * What a run will need, worked out from its inputs' sizes and its params before it starts
 * (`estimate` on a definition). Rough on purpose: it has to tell what fits from what cannot.
 */
export interface RunEstimate {
  /** Peak memory the run holds: inputs, outputs and working arrays, in bytes. */
  bytes: number
  /** The largest single array it allocates, in bytes (one typed array holds at most 4 GiB). */
  largestArrayBytes?: number
  /** Time on one core, where the work can be counted (FFTs, iterations). */
  seconds?: number
  /** What the figure is made of, in the user's words ("8192 columns × 16385 bins × 3 colours"). */
  detail?: string
}

export type Runtime = 'cpu' | 'gpu'

/**
 * One file an output node exports. Its name and type are known at once (a download list shows
 * them); its bytes are made only when `bytes()` is called, and may come as parts
 * (an AsyncIterable), which the CLI writes one after another, so a long sequence goes to disk
 * without being held whole.
 */
export interface ExportFile {
  /** One path component, made safe for every file system (`safeFileStem`), e.g. `mix.wav`. */
  fileName: string
  /** Content type, e.g. `audio/wav`. */
  type: string
  /** What a download button says, e.g. `WAV`, `PNG zip`. */
  label: string
  bytes(): Uint8Array | Promise<Uint8Array> | AsyncIterable<Uint8Array>
}

/** What an export is told besides the value and params: where it comes from and where it goes. */
export interface ExportContext {
  /** The graph that made the value; PNG and WAV files carry it. */
  graph: GraphDocument
  /** The id of the node whose files these are. */
  node: string
  /** The provenance record of this output (source hashes, models, seeds); made when asked. */
  provenance(): Promise<ProvenanceRecord>
  /** The folder the files go to, where there is one (the CLI's --out); none for downloads. */
  folder?: string
  /** Tells the person something about the files (the CLI prints it after writing them). */
  note?(line: string): void
}

/**
 * How soon a node stops once cancelled, as the contract suite checks it:
 * - 'none': one quick pass that never looks at its signal; a cancel takes effect before or
 *   after it (runJob and the executor check between nodes);
 * - 'between-parts': it looks between large parts (each channel, each stage), so a cancel is
 *   seen at the next part;
 * - 'per-step': a loop of many steps with progress; it stops at the next step.
 */
/** A run split into independent parts (see `split` on NodeDefinition). */
export interface RunSplit<I extends InputSpecs, O extends OutputSpecs, P extends ParamSpecs> {
  parts: {
    inputs: InputValues<I>
    params: ParamValues<P>
    /**
     * How many `ctx.random()` values the whole run draws before this part's first: the part's
     * stream starts there (skipSeed), so its numbers are the ones the whole run would draw.
     */
    draws: number
    /** Put before the part's progress messages ("Channel 2"). */
    label: string
  }[]
  join(outputs: OutputValues<O>[]): OutputValues<O>
}

export type Cancellation = 'none' | 'between-parts' | 'per-step'

export interface NodeDefinition<
  I extends InputSpecs = InputSpecs,
  O extends OutputSpecs = OutputSpecs,
  P extends ParamSpecs = ParamSpecs,
> {
  /** Stable id, namespaced (`dsp/griffin-lim`): presets and cache keys depend on it. */
  type: string
  /** Bump when the output for the same input and params changes, so stale cache is not reused. */
  version: number
  title: string
  category: string
  /** One or two sentences for the palette and the node reference. */
  description: string
  inputs: I
  outputs: O
  params: P
  runtime: Runtime
  /** How soon it stops once cancelled (see `Cancellation`); 'between-parts' when not given. */
  cancellation?: Cancellation
  /**
   * Optional: memory (and work) the run will need, from input sizes and params. The executor
   * calls it before `run` and refuses, with these figures, a run the machine cannot do.
   */
  estimate?(inputs: InputValues<I>, params: ParamValues<P>): RunEstimate
  /**
   * Optional: independent parts the run splits into (a multi-channel Griffin-Lim's channels), so
   * a pool of workers runs them at once (runner.ts, createSplittingRunner). Each part is a run
   * of this same node on its own inputs and params; `join` makes the run's outputs from the
   * parts' (in order), and the result must equal what `run` gives on the whole. Undefined, or
   * one part: the run stays whole.
   */
  split?(inputs: InputValues<I>, params: ParamValues<P>): RunSplit<I, O, P> | undefined
  /**
   * Optional: loads, from params alone, what a run will load before its work (a model's ONNX
   * sessions), so that it happens while the nodes before this one still compute. The browser
   * runtime calls it in the worker the node runs in, once a run is sure to reach the node
   * uncached; a failure is left for the run itself to report.
   */
  prepare?(params: StoredParamValues<P>): Promise<void>
  run(
    inputs: InputValues<I>,
    params: ParamValues<P>,
    ctx: RunContext,
  ): OutputValues<O> | Promise<OutputValues<O>>
  /**
   * Loader nodes: whether this node reads a file that starts with `head` (its first 64 KiB, or
   * all of a smaller file), judged from the bytes, never the name. A file dropped on the canvas
   * or chosen in a picker goes into the node's first file param; of several loaders that accept
   * a dropped file, the first registered one is made.
   */
  accepts?(head: Uint8Array): boolean
  /**
   * Output nodes: the files this node's result is saved as. The CLI writes them to --out, the
   * editor offers them as downloads; nothing else decides what an output node writes. A generator
   * (or any Iterable) lets a long list be made as it is written.
   */
  export?(
    outputs: OutputValues<O>,
    params: StoredParamValues<P>,
    ctx: ExportContext,
  ): Iterable<ExportFile>
  /**
   * The names `export` will write, from params alone, known before the run: the CLI refuses
   * names that clash with each other or with an input before any work is done.
   */
  exportNames?(params: StoredParamValues<P>): string[]
}

/** Any node definition, with its types erased, as the registry and executor hold them. */
export interface AnyNodeDefinition {
  type: string
  version: number
  title: string
  category: string
  description: string
  inputs: InputSpecs
  outputs: OutputSpecs
  params: ParamSpecs
  runtime: Runtime
  cancellation?: Cancellation
  estimate?(inputs: Record<string, unknown>, params: Record<string, unknown>): RunEstimate
  split?(
    inputs: Record<string, unknown>,
    params: Record<string, unknown>,
  ): RunSplit<InputSpecs, OutputSpecs, ParamSpecs> | undefined
  prepare?(params: Record<string, unknown>): Promise<void>
  run(
    inputs: Record<string, unknown>,
    params: Record<string, unknown>,
    ctx: RunContext,
  ): Record<string, unknown> | Promise<Record<string, unknown>>
  accepts?(head: Uint8Array): boolean
  export?(
    outputs: Record<string, unknown>,
    params: Record<string, unknown>,
    ctx: ExportContext,
  ): Iterable<ExportFile>
  exportNames?(params: Record<string, unknown>): string[]
}

/** The param a loader reads its file into: its first file param (none: it reads no file). */
export function fileParamOf(def: Pick<AnyNodeDefinition, 'params'>): string | undefined {
  return Object.entries(def.params).find(([, spec]) => spec.type === 'file')?.[0]
}

/**
 * Whether the node starts frame sequences: a frames output and no frames input (Spectrum
 * Frames). Such nodes honour `ctx.frames`, and the window is part of their content key; every
 * node downstream takes frames and works on the window it is given.
 */
export function makesFrames(def: Pick<AnyNodeDefinition, 'inputs' | 'outputs'>): boolean {
  return (
    Object.values(def.outputs).includes('frames') &&
    !Object.values(def.inputs).some((spec) => kindOfInput(spec) === 'frames')
  )
}

/** Declares a node; inputs, outputs and params are typed from the definition itself. */
export function defineNode<
  const I extends InputSpecs,
  const O extends OutputSpecs,
  const P extends ParamSpecs,
>(definition: NodeDefinition<I, O, P>): NodeDefinition<I, O, P> & AnyNodeDefinition {
  return definition
}
