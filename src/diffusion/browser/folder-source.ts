import { del, get, keys, set } from 'idb-keyval'
import { UserError } from '../../engine/errors'
import { MissingFileError, type ModelSource } from '../source'

/**
 * A model folder the user picked with `showDirectoryPicker()` on the main thread. The handle is
 * kept in IndexedDB under a name, so graphs refer to it as `folder:NAME` and the GPU worker can
 * open it again (handles survive structured cloning and page reloads; read permission may need
 * to be granted again after a reload, which only the page can ask for).
 */

const KEY = (name: string) => `synesthete:model-folder:${name}`

interface PermissionHandle {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>
}

/** Called by the app after the user picks a folder. */
export async function rememberModelFolder(name: string, handle: FileSystemDirectoryHandle) {
  await set(KEY(name), handle)
}

/** The names of the folders remembered in this browser, for the model panel's list. */
export async function listModelFolders(): Promise<string[]> {
  const prefix = KEY('')
  return (await keys())
    .filter((k): k is string => typeof k === 'string' && k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .sort()
}

export async function forgetModelFolder(name: string): Promise<void> {
  await del(KEY(name))
}

/** The stored handle, without checking permission (the page asks for it again with a click). */
export async function modelFolderHandle(
  name: string,
): Promise<FileSystemDirectoryHandle | undefined> {
  return get<FileSystemDirectoryHandle>(KEY(name))
}

export async function recallModelFolder(name: string): Promise<FileSystemDirectoryHandle> {
  const handle = await get<FileSystemDirectoryHandle>(KEY(name))
  if (!handle) {
    throw new UserError(
      `No model folder called "${name}" has been picked in this browser`,
      'Choose the folder again in the model panel.',
    )
  }
  const permission = await (handle as PermissionHandle).queryPermission?.({ mode: 'read' })
  if (permission && permission !== 'granted') {
    throw new UserError(
      `The browser needs permission again to read the model folder "${name}"`,
      'Open the model panel and allow access to the folder.',
    )
  }
  return handle
}

export function directorySource(name: string, root: FileSystemDirectoryHandle): ModelSource {
  const label = `the model folder "${name}"`
  return {
    id: `folder:${name}`,
    label,
    async read(path) {
      const parts = path.split('/')
      const file = parts.pop() ?? path
      try {
        let dir = root
        for (const part of parts) dir = await dir.getDirectoryHandle(part)
        const blob = await (await dir.getFileHandle(file)).getFile()
        return new Uint8Array(await blob.arrayBuffer())
      } catch (error) {
        if (error instanceof DOMException && error.name === 'NotFoundError') {
          throw new MissingFileError(path, label)
        }
        throw error
      }
    },
  }
}
