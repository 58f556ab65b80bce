import { randomBytes } from 'node:crypto'
import { open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import type { GraphDocument } from '../engine/document'
import { UserError } from '../engine/errors'
import { paramValues } from '../engine/params'
import type { NodeRegistry } from '../engine/registry'
import { pathOfRef } from './files'
import { describeFsError, errorCode, makeFolder } from './fs-errors'
import { pathInside } from './safe-paths'

/**
 * Every file a run writes goes through here: written whole to a temporary name in the same
 * folder, flushed, then renamed over the old file, so a full disk or a crash leaves the previous
 * file as it was; never onto a file the run reads (its graph, its inputs); never twice in one
 * run: a second output with the same name is refused, not numbered, so no file is silently
 * replaced and no name changes behind the person's back.
 */

/** A file's bytes: whole, or parts written one after another (a long sequence, streamed). */
export type FileContent = Uint8Array | AsyncIterable<Uint8Array>

/** Writes a whole new file at `path` (the temporary one); tests inject failures here. */
export type WriteWhole = (path: string, content: FileContent) => Promise<void>

const writeAndFlush: WriteWhole = async (path, content) => {
  const handle = await open(path, 'wx')
  try {
    if (content instanceof Uint8Array) await handle.writeFile(content)
    else for await (const part of content) await handle.write(part)
    await handle.sync() // on disk before the rename makes it the file
  } finally {
    await handle.close()
  }
}

/** A file the run reads, and how to name it in a message. */
export interface InputFile {
  path: string
  what: string
}

/** The graph's own file and every file a node param names (Load Audio, Load Image…). */
export function inputFilesOf(
  graph: GraphDocument,
  registry: NodeRegistry,
  baseDir: string,
  sourcePath: string,
): InputFile[] {
  const inputs: InputFile[] = [{ path: resolve(sourcePath), what: 'the graph this run reads' }]
  for (const node of graph.nodes) {
    const def = registry.get(node.type)
    for (const [param, spec] of Object.entries(def?.params ?? {})) {
      const ref = node.params[param]
      if (spec.type !== 'file' || typeof ref !== 'string' || !ref || ref.startsWith('blob:'))
        continue
      inputs.push({ path: pathOfRef(ref, baseDir), what: `the input file of node "${node.id}"` })
    }
  }
  return inputs
}

/** The files each output node will write, by name, as far as its definition knows before the run. */
export function plannedOutputs(
  graph: GraphDocument,
  registry: NodeRegistry,
): { node: string; fileName: string }[] {
  return graph.nodes.flatMap((node) => {
    const def = registry.get(node.type)
    const names = def?.exportNames?.(paramValues(def.params, node.params)) ?? []
    return names.map((fileName) => ({ node: node.id, fileName }))
  })
}

let temps = 0

export class RunOutputs {
  /** Case-folded path → the node (or part) that writes it. */
  private readonly claimed = new Map<string, string>()
  private inputIds: Promise<Map<string, InputFile>> | undefined

  constructor(
    private readonly inputs: readonly InputFile[],
    private readonly writeWhole: WriteWhole = writeAndFlush,
  ) {}

  /**
   * Refuses, before anything runs, output names that collide with each other or with an
   * input; `writer` names who writes in messages.
   */
  async check(dir: string, fileName: string, writer: string): Promise<string> {
    const path = pathInside(dir, fileName)
    // macOS and Windows folders treat "Mix.wav" and "mix.wav" as one file.
    const key = path.normalize('NFC').toLowerCase()
    const earlier = this.claimed.get(key)
    if (earlier && earlier !== writer)
      throw new UserError(
        `${earlier} and ${writer} would both write ${path}; outputs are never overwritten within a run, so this is refused.`,
        'Give one of them another name (e.g. --set NODE.name=other), then run again.',
      )
    this.claimed.set(key, writer)
    const input = await this.inputAt(path)
    if (input)
      throw new UserError(
        `${writer} would write ${path}, which is ${input.what} (${input.path}); refused, so it stays as it is.`,
        'Give the output another name or another --out folder.',
      )
    return path
  }

  /** Writes `content` as `dir/fileName` for `writer`, atomically, after the checks above. */
  async write(
    dir: string,
    fileName: string,
    content: FileContent,
    writer: string,
  ): Promise<string> {
    const path = await this.check(dir, fileName, writer)
    await makeFolder(dirname(path))
    const temp = pathInside(
      dirname(path),
      `.${basename(path).slice(0, 180)}.${process.pid}.${++temps}.${randomBytes(3).toString('hex')}.tmp`,
    )
    const existed = await stat(path).then(
      () => true,
      () => false,
    )
    try {
      await this.writeWhole(temp, content)
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined)
      const described = describeFsError(error, 'write', path)
      if (!(described instanceof UserError)) throw error
      const kept = existed ? ` The previous ${basename(path)} is unchanged.` : ''
      throw new UserError(`${described.message}${kept}`, described.hint)
    }
    return path
  }

  /** The input file `path` is (same file by device and inode: links and case count), if any. */
  private async inputAt(path: string): Promise<InputFile | undefined> {
    const target = await stat(path).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined
      throw describeFsError(error, 'check', path)
    })
    if (!target) return undefined // nothing there: no input is overwritten
    this.inputIds ??= identify(this.inputs)
    return (await this.inputIds).get(`${target.dev}:${target.ino}`)
  }
}

async function identify(inputs: readonly InputFile[]): Promise<Map<string, InputFile>> {
  const ids = new Map<string, InputFile>()
  for (const input of inputs) {
    const info = await stat(input.path).catch(() => undefined)
    if (info && !ids.has(`${info.dev}:${info.ino}`)) ids.set(`${info.dev}:${info.ino}`, input)
  }
  return ids
}
