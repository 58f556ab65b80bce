import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { canonicalJson, sha256Hex } from '../engine/hash'
import type { RenderArgs } from './args'
import { readGraphSource } from './graph-source'

/**
 * `--each NODE=GLOB`: one run of the graph per matching file, each writing to `OUT/<file stem>/`.
 * A run is a plain command line (absolute paths only), so it means the same in this process, in a
 * child process, or in a farm worker on another machine that mounts the same storage.
 */

export interface EachSpec {
  node: string
  glob: string
}

export interface PlannedRun {
  /** The input file's name without its extension: the run's output folder and its name in logs. */
  stem: string
  input: string
  out: string
  /** The whole command line of the run, for `render()` or `npm run render --`. */
  argv: string[]
  /** Content hash of the graph, the input file's bytes, the run's settings and output folder. */
  id: string
  /** How many frames its longest sequence has, when it makes frames (known on submitting). */
  frames?: number
}

const WILDCARD = /[*?[]/

/** A glob's pattern as a regular expression over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*' && glob[i + 1] === '*') {
      // '**/' is any number of folders, '**' at the end anything at all.
      const slash = glob[i + 2] === '/'
      re += slash ? '(?:[^/]*/)*' : '.*'
      i += slash ? 2 : 1
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end < 0) re += '\\['
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')
        re += `[${body}]`
        i = end
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name)
      if (e.isDirectory()) return walk(path)
      return e.isFile() ? [path] : []
    }),
  )
  return nested.flat()
}

/**
 * The files a glob matches, sorted: `songs/*.wav`, `album/**\/*.flac`, `take-?.mp3`. Relative
 * globs start from `baseDir`. The folders before the first wildcard must exist.
 */
export async function expandGlob(glob: string, baseDir: string): Promise<string[]> {
  const absolute = isAbsolute(glob) ? glob : resolve(baseDir, glob)
  const parts = absolute.split(sep)
  const first = parts.findIndex((p) => WILDCARD.test(p))
  if (first < 0) {
    const found = await stat(absolute).catch(() => undefined)
    return found?.isFile() ? [absolute] : []
  }
  const root = parts.slice(0, first).join(sep) || sep
  const pattern = globToRegExp(parts.slice(first).join('/'))
  const rootStat = await stat(root).catch(() => undefined)
  if (!rootStat?.isDirectory()) throw new Error(`--each: the folder ${root} does not exist.`)
  const files = await walk(root)
  return files.filter((f) => pattern.test(relative(root, f).split(sep).join('/'))).sort()
}

export function parseEach(spec: string): EachSpec {
  const at = spec.indexOf('=')
  if (at <= 0 || at === spec.length - 1)
    throw new Error(
      `"${spec}" is not of the form --each NODE=GLOB (e.g. --each load='songs/*.wav').`,
    )
  return { node: spec.slice(0, at), glob: spec.slice(at + 1) }
}

/**
 * The command line of one run, from parsed arguments: every path absolute, no cache flags (each
 * runner brings its own cache), the input and output folder of this run.
 */
function runArgv(args: RenderArgs, graphPath: string, input: string, node: string, out: string) {
  const argv = [graphPath]
  for (const i of args.inputs) argv.push('--input', `${i.node}=${i.file}`)
  argv.push('--input', `${node}=${input}`)
  for (const s of args.sets) argv.push('--set', `${s.node}.${s.param}=${s.value}`)
  for (const b of args.bypass) argv.push('--bypass', b)
  if (args.model) argv.push('--model', args.model)
  if (args.modelB) argv.push('--model-b', args.modelB)
  if (args.ort) argv.push('--ort', args.ort)
  argv.push('--out', out)
  return argv
}

/**
 * One planned run per file `each.glob` matches. Throws when nothing matches or when two files
 * would share an output folder (`a.wav` and `a.mp3`).
 */
export async function planEach(
  args: RenderArgs,
  each: EachSpec,
  baseDir: string,
): Promise<PlannedRun[]> {
  const source = await readGraphSource(args.graph)
  const files = await expandGlob(each.glob, baseDir)
  if (files.length === 0)
    throw new Error(`--each ${each.node}=${each.glob}: no file matches (from ${baseDir}).`)
  const byStem = new Map<string, string>()
  const runs: PlannedRun[] = []
  const graphHash = await sha256Hex(source.text)
  for (const input of files) {
    const stem = basename(input, extname(input))
    const clash = byStem.get(stem)
    if (clash)
      throw new Error(
        `--each: ${clash} and ${input} would both write to ${join(args.out, stem)}. Rename one, or narrow the glob.`,
      )
    byStem.set(stem, input)
    const out = join(args.out, stem)
    const argv = runArgv(args, source.path, input, each.node, out)
    const inputHashes = await Promise.all(
      [...args.inputs.map((i) => i.file), input].map(async (f) => sha256Hex(await readFile(f))),
    )
    // The graph's and inputs' content, and what the run does with them (settings, output folder):
    // the same submission gives the same ids, so resubmitting adds nothing.
    const settings = canonicalJson({ argv: argv.slice(1).filter((a) => a !== input), inputHashes })
    const id = `run-${(await sha256Hex(`${graphHash}\n${settings}`)).slice(0, 32)}`
    runs.push({ stem, input, out, argv, id })
  }
  return runs
}
