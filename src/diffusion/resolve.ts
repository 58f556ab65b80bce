import { UserError } from '../engine/errors'
import { directorySource, recallModelFolder } from './browser/folder-source'
import { storedUrlSource } from './browser/model-store'
import { explainingSource } from './load-errors'
import { requireHeadlessRemoteAllowed } from './remote-permission'
import { findManifest, MANIFESTS } from './manifests'
import { folderSource, MissingFileError, urlBaseSource, type ModelSource } from './source'
import { tinyModelSource } from './tiny-model'

/**
 * The Stable Diffusion node's `model` param → where its files come from:
 *
 *   'tiny' (or empty)      the bundled random test model (models/tiny)
 *   a manifest id          a known public model (models/manifests: sd15, sd-turbo, …)
 *   https://…              a diffusers ONNX model under that URL
 *   folder:NAME            browser: a folder the user picked (kept in IndexedDB);
 *                          Node: folder:PATH, the same as a plain path
 *   file:… or a path       Node (CLI, tests): a folder on disk
 *
 * In the browser, remote files are stored in OPFS as they download (resumable) and read from
 * there on later visits; in Node they are fetched each time.
 */

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string'

function onlyFiles(source: ModelSource, files: readonly string[]): ModelSource {
  return {
    ...source,
    read: (path, progress) =>
      files.includes(path)
        ? source.read(path, progress)
        : Promise.reject(new MissingFileError(path, source.label)),
  }
}

function remote(base: string, files?: readonly string[]): ModelSource {
  if (!isNode) return storedUrlSource(base, files)
  const source = urlBaseSource(base)
  const asked: ModelSource = {
    ...source,
    read: async (path, progress) => {
      requireHeadlessRemoteAllowed(source.id)
      return source.read(path, progress)
    },
  }
  return files ? onlyFiles(asked, files) : asked
}

export async function resolveModelSource(ref: string): Promise<ModelSource> {
  return explainingSource(await resolve(ref))
}

async function resolve(ref: string): Promise<ModelSource> {
  const value = ref.trim()
  if (value === '' || value === 'tiny') return tinyModelSource()
  const manifest = findManifest(value)
  if (manifest)
    return remote(
      manifest.baseUrl,
      manifest.files.map((f) => f.path),
    )
  if (/^https?:\/\//i.test(value)) return remote(value)
  if (value.startsWith('folder:')) {
    const name = value.slice('folder:'.length)
    if (isNode) return folderSource(name)
    return directorySource(name, await recallModelFolder(name))
  }
  if (isNode && value.startsWith('file:')) return urlBaseSource(value)
  if (isNode) return folderSource(value)
  throw new UserError(
    `"${value}" is not a model this browser can open`,
    `Use "tiny", a known model (${MANIFESTS.map((m) => m.id).join(', ')}), ` +
      'an https:// URL of a diffusers ONNX model, or a folder picked in the model panel.',
  )
}
