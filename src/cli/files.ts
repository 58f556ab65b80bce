import { createHash } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { basename, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from '../engine/errors'
import type { FileResolver } from '../engine/keys'
import { describeFsError } from './fs-errors'
import { checkBeforeReading, HEAD_BYTES } from '../media/file-gate'
import { transcodingResolver } from '../media/transcode'
import { ffmpegDecode } from './ffmpeg-decode'

/** The repository root, where public/samples and models live. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * File references in Node: `sample:NAME` is a bundled sample, `file:PATH` (or a bare path) a
 * file on disk, relative paths taken from `baseDir` (the graph's folder).
 */
export function nodeFileResolver(baseDir: string): FileResolver {
  // Sound our WASM decoders cannot read (M4A/AAC, Opus in WebM) reaches the nodes through ffmpeg.
  return readOnce(transcodingResolver(diskResolver(baseDir), ffmpegDecode))
}

/**
 * Each reference read and hashed once per resolver (one run): cache keys, every output's
 * provenance and the restored-graph check used to read and hash an input again each, a
 * gigabyte file as many times as the graph had outputs. The hash travels with the bytes, so
 * keys and provenance need not compute it.
 */
function readOnce(resolver: FileResolver): FileResolver {
  const done = new Map<string, ReturnType<FileResolver>>()
  return (ref) => {
    let file = done.get(ref)
    if (!file) {
      file = resolver(ref).then((data) => ({
        ...data,
        sha256: data.sha256 ?? createHash('sha256').update(data.bytes).digest('hex'),
      }))
      done.set(ref, file)
    }
    return file
  }
}

function diskResolver(baseDir: string): FileResolver {
  return async (ref) => {
    const path = pathOfRef(ref, baseDir)
    try {
      // Judged from its size and header first: a 2-hour WAV or a 2.5 GB file is refused here,
      // before gigabytes are read (media/file-gate.ts).
      const handle = await open(path, 'r')
      try {
        const { size } = await handle.stat()
        const head = new Uint8Array(Math.min(size, HEAD_BYTES))
        await handle.read(head, 0, head.length, 0)
        checkBeforeReading(basename(path), size, head)
      } finally {
        await handle.close()
      }
      return { name: basename(path), bytes: new Uint8Array(await readFile(path)) }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') {
        throw new UserError(
          `The file "${path}" does not exist.`,
          'Check the path given to --input.',
        )
      }
      if (code === 'EISDIR') throw new UserError(`"${path}" is a folder, not a file.`)
      throw describeFsError(error, 'read', path)
    }
  }
}

export function pathOfRef(ref: string, baseDir: string): string {
  if (ref.startsWith('sample:')) return resolve(REPO_ROOT, 'public/samples', ref.slice(7))
  if (ref.startsWith('blob:')) {
    throw new UserError(
      `This graph refers to a file stored in a browser ("${ref}").`,
      'Give the file on the command line with --input NODE=FILE.',
    )
  }
  const path = ref.startsWith('file:') ? ref.slice(5) : ref
  return isAbsolute(path) ? path : resolve(baseDir, path)
}
