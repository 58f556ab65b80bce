import {
  listModelFolders,
  modelFolderHandle,
  rememberModelFolder,
} from '../../diffusion/browser/folder-source'

/**
 * "Use a folder…": the File System Access API where the browser has it (Chromium). The picked
 * handle is remembered in IndexedDB (src/diffusion/browser/folder-source.ts) under a name the
 * graph then refers to as `folder:NAME`; the GPU worker opens it from there.
 */

/** The parts of the File System Access API that TypeScript's DOM library does not declare. */
interface PermissionHandle {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>
}
type DirectoryPicker = (options?: {
  id?: string
  mode?: 'read'
}) => Promise<FileSystemDirectoryHandle>

export function canPickFolders(): boolean {
  return (
    typeof (window as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker === 'function'
  )
}

/** Asks the person for a folder; undefined when they close the picker. */
export async function pickFolder(): Promise<FileSystemDirectoryHandle | undefined> {
  const picker = (window as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker
  if (!picker) return undefined
  try {
    return await picker({ id: 'synesthete-models', mode: 'read' })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined
    throw error
  }
}

/** Every model needs these (src/diffusion/model.ts); img2img also needs vae_encoder/. */
const REQUIRED = [
  'tokenizer/vocab.json',
  'tokenizer/merges.txt',
  'text_encoder/model.onnx',
  'unet/model.onnx',
  'vae_decoder/model.onnx',
]

export async function missingModelFiles(root: FileSystemDirectoryHandle): Promise<string[]> {
  const missing: string[] = []
  for (const path of REQUIRED) {
    const [folder, file] = path.split('/')
    try {
      await (await root.getDirectoryHandle(folder)).getFileHandle(file)
    } catch {
      missing.push(path)
    }
  }
  return missing
}

/** Remembers the folder under its own name (or name-2… if another folder has it). */
export async function rememberFolder(handle: FileSystemDirectoryHandle): Promise<string> {
  const taken = new Set(await listModelFolders())
  let name = handle.name || 'model'
  for (let i = 2; taken.has(name); i++) {
    const existing = await modelFolderHandle(name)
    if (existing && (await existing.isSameEntry(handle))) break
    name = `${handle.name}-${i}`
  }
  await rememberModelFolder(name, handle)
  return name
}

/** The remembered handle, typed with the permission methods Chromium gives it. */
function permissionHandle(
  name: string,
): Promise<(FileSystemDirectoryHandle & PermissionHandle) | undefined> {
  return modelFolderHandle(name)
}

export async function folderPermission(name: string): Promise<PermissionState | 'gone'> {
  const handle = await permissionHandle(name)
  if (!handle) return 'gone'
  return (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted'
}

/** Must run from a click: the browser shows its permission prompt. */
export async function allowFolder(name: string): Promise<boolean> {
  const handle = await permissionHandle(name)
  const state = await handle?.requestPermission?.({ mode: 'read' })
  return state === 'granted'
}
