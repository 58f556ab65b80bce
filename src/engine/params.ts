/**
 * Parameter specifications: defaults, ranges, units and widget hints. The editor builds its
 * controls from these; the validator checks documents against them; `run` receives values
 * typed from them.
 */

interface ParamBase {
  /** Shown next to the control; defaults to the param's key. */
  label?: string
  /** Tooltip: what the param does, in the user's words. */
  description?: string
  /** Unit shown after the value (Hz, s, dB, samples…). */
  unit?: string
}

export interface IntParam extends ParamBase {
  type: 'int'
  default: number
  min?: number
  max?: number
  step?: number
  /** Shown instead of 0 when 0 is a switch, not an amount ('auto', 'never'). */
  zeroLabel?: string
}

export interface FloatParam extends ParamBase {
  type: 'float'
  default: number
  min?: number
  max?: number
  step?: number
  /** Slider response; 'log' for frequencies and rates. */
  curve?: 'linear' | 'log'
}

export interface ChoiceParam<T extends string = string> extends ParamBase {
  type: 'choice'
  default: T
  options: readonly T[]
  /** Human labels per option, when the id is terse. */
  optionLabels?: Partial<Record<T, string>>
}

export interface BoolParam extends ParamBase {
  type: 'bool'
  default: boolean
}

export interface TextParam extends ParamBase {
  type: 'text'
  default: string
  multiline?: boolean
  /** A special editor control: 'model' is a model picker over the text (see src/editor/models). */
  widget?: 'model'
}

/** A random seed: an integer the editor can randomise; stochastic nodes are keyed by it. */
export interface SeedParam extends ParamBase {
  type: 'seed'
  default: number
}

/**
 * A file the user provides. In the document the value is a reference string (see
 * `FileRef`); `run` receives the bytes. Cache keys use a hash of the bytes, not the name.
 */
export interface FileParam extends ParamBase {
  type: 'file'
  default: string
  accept: 'audio' | 'image'
}

export type ParamSpec =
  IntParam | FloatParam | ChoiceParam | BoolParam | TextParam | SeedParam | FileParam

export type ParamSpecs = Record<string, ParamSpec>

/** What `run` receives for a file param. */
export interface FileData {
  /** The reference from the document (e.g. `sample:synesthete-demo.wav`). */
  ref: string
  /** A display name (the file name). */
  name: string
  bytes: Uint8Array
}

export type ParamValue<P extends ParamSpec> =
  P extends ChoiceParam<infer T>
    ? T
    : P extends IntParam | FloatParam | SeedParam
      ? number
      : P extends BoolParam
        ? boolean
        : P extends TextParam
          ? string
          : P extends FileParam
            ? FileData | null
            : never

export type ParamValues<P extends ParamSpecs> = { [K in keyof P]: ParamValue<P[K]> }

/** A param value as stored in a graph document (files as reference strings). */
export type StoredParamValue = number | boolean | string

/** Every param as a document stores it, defaults filled in: files as their reference strings. */
export type StoredParamValues<P extends ParamSpecs> = {
  [K in keyof P]: P[K] extends FileParam ? string : ParamValue<P[K]>
}

/**
 * The value a node uses for a param: its own stored value, else the definition's default
 * (a document may leave out any param). The one place this is decided.
 */
export function paramValue(
  spec: ParamSpec,
  stored: Readonly<Record<string, StoredParamValue>>,
  key: string,
): StoredParamValue
export function paramValue(
  spec: ParamSpec | undefined,
  stored: Readonly<Record<string, StoredParamValue>>,
  key: string,
): StoredParamValue | undefined
export function paramValue(
  spec: ParamSpec | undefined,
  stored: Readonly<Record<string, StoredParamValue>>,
  key: string,
): StoredParamValue | undefined {
  return Object.hasOwn(stored, key) ? stored[key] : spec?.default
}

/** `paramValue` for every param a node kind has (unknown stored keys are left out). */
export function paramValues(
  specs: ParamSpecs,
  stored: Readonly<Record<string, StoredParamValue>>,
): Record<string, StoredParamValue> {
  return Object.fromEntries(
    Object.keys(specs).map((key) => [key, paramValue(specs[key], stored, key)]),
  )
}

type Options<P> = Omit<P, 'type' | 'default'>

export const int = (value: number, options: Options<IntParam> = {}): IntParam => ({
  type: 'int',
  default: value,
  step: 1,
  ...options,
})

export const float = (value: number, options: Options<FloatParam> = {}): FloatParam => ({
  type: 'float',
  default: value,
  ...options,
})

export const choice = <const T extends string>(
  value: NoInfer<T>,
  options: readonly T[],
  extra: Omit<ChoiceParam<T>, 'type' | 'default' | 'options'> = {},
): ChoiceParam<T> => ({ type: 'choice', default: value, options, ...extra })

export const bool = (value: boolean, options: Options<BoolParam> = {}): BoolParam => ({
  type: 'bool',
  default: value,
  ...options,
})

export const text = (value: string, options: Options<TextParam> = {}): TextParam => ({
  type: 'text',
  default: value,
  ...options,
})

export const seed = (value = 0, options: Options<SeedParam> = {}): SeedParam => ({
  type: 'seed',
  default: value,
  ...options,
})

export const file = (
  accept: FileParam['accept'],
  options: Omit<FileParam, 'type' | 'accept'> = { default: '' },
): FileParam => ({ type: 'file', accept, ...options })

/** Why a stored value does not fit its spec, or undefined when it does. */
export function paramProblem(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'int':
    case 'float':
    case 'seed': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number'
      if (spec.type !== 'float' && !Number.isInteger(value)) return 'must be a whole number'
      if (spec.type === 'seed') return value < 0 ? 'must not be negative' : undefined
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}`
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}`
      return undefined
    }
    case 'choice':
      return typeof value === 'string' && spec.options.includes(value)
        ? undefined
        : `must be one of ${spec.options.map((o) => `"${o}"`).join(', ')}`
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false'
    case 'text':
    case 'file':
      return typeof value === 'string' ? undefined : 'must be text'
  }
}

/** Spellings of true and false taken on the command line, any case. */
const TRUE_WORDS = ['true', 'yes', 'on', '1']
const FALSE_WORDS = ['false', 'no', 'off', '0']

/**
 * Parses a command-line value (`--set node.param=value`) by the param's type; throws an
 * Error saying what was wrong and what is accepted ("True", "ON" and "yes" are true; "maybe"
 * and "NaN" are refused rather than quietly meaning false or failing later).
 */
export function parseParamText(spec: ParamSpec, raw: string): StoredParamValue {
  const text = raw.trim()
  switch (spec.type) {
    case 'int':
    case 'float':
    case 'seed': {
      const value = text === '' ? NaN : Number(text)
      if (Number.isFinite(value)) return value
      const range =
        spec.type !== 'seed' && spec.min !== undefined && spec.max !== undefined
          ? ` between ${spec.min} and ${spec.max}`
          : ''
      throw new Error(
        `"${raw}" is not a number: give a finite number${range}, e.g. ${spec.default}.`,
      )
    }
    case 'bool': {
      const word = text.toLowerCase()
      if (TRUE_WORDS.includes(word)) return true
      if (FALSE_WORDS.includes(word)) return false
      throw new Error(
        `"${raw}" is neither true nor false: use ${TRUE_WORDS.join(', ')} or ${FALSE_WORDS.join(', ')} (any case).`,
      )
    }
    default:
      return raw
  }
}
