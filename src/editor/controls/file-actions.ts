import type { AnyNodeDefinition } from '../../engine/define-node'
import type { FileParam } from '../../engine/params'
import { checkBeforeReading, HEAD_BYTES } from '../../media/file-gate'
import { parseFileRef } from '../../runtime/file-store'
import type { EditorServices } from '../services'

const names = new Map<string, string>()

/** A name to show for a file reference (`sample:demo.wav` → "demo.wav"). */
export function fileLabel(ref: string): string {
  if (!ref) return ''
  const known = names.get(ref)
  if (known) return known
  const colon = ref.indexOf(':')
  const rest = colon >= 0 ? ref.slice(colon + 1) : ref
  if (!ref.startsWith('blob:')) return rest
  // `blob:<sha256>/<name>` names its file, even in a browser that does not have it (a link).
  const parsed = parseFileRef(ref)
  return parsed.scheme === 'blob' && parsed.name ? parsed.name : `file ${rest.slice(0, 8)}…`
}

/** Learns a file's real name from the runtime's store, once. */
export async function lookUpFileName(services: EditorServices, ref: string): Promise<string> {
  const known = names.get(ref)
  if (known || !ref) return known ?? ''
  const runtime = services.runtime()
  if (!runtime) return fileLabel(ref)
  try {
    const { name } = await runtime.files.resolve(ref)
    names.set(ref, name)
    return name
  } catch {
    return fileLabel(ref)
  }
}

export type FileKind = FileParam['accept']

const AUDIO_EXT = /\.(wav|wave|mp3|ogg|oga|opus|flac|aif|aiff|m4a|aac|weba|webm)$/i
const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp)$/i

/** Whether a dropped or chosen file is a sound, a picture, or neither. */
export function kindOfFile(file: { name: string; type: string }): FileKind | undefined {
  if (file.type.startsWith('audio/') || AUDIO_EXT.test(file.name)) return 'audio'
  if (file.type.startsWith('image/') || IMAGE_EXT.test(file.name)) return 'image'
  return undefined
}

/** The first file param of a node kind that takes files of this kind. */
export function fileParamFor(def: AnyNodeDefinition, kind: FileKind): string | undefined {
  return Object.entries(def.params).find(
    ([, spec]) => spec.type === 'file' && spec.accept === kind,
  )?.[0]
}

/** Stores the file in the browser's file store and points the node's param at it. */
export async function loadFileIntoNode(
  services: EditorServices,
  node: string,
  param: string,
  file: File,
): Promise<boolean> {
  const runtime = services.runtime()
  if (!runtime) {
    services.ui.notify('The engine is still starting; drop the file again in a moment.', 'warn')
    return false
  }
  try {
    // Size and header first: a 2-hour WAV or a 3 GB file is refused before it is read whole.
    const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
    checkBeforeReading(file.name, file.size, head)
    const bytes = new Uint8Array(await file.arrayBuffer())
    const ref = await runtime.files.add(bytes, file.name)
    names.set(ref, file.name)
    services.store.dispatch(
      { type: 'setParam', node, param, value: ref },
      { label: `load ${file.name}` },
    )
    return true
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    services.ui.notify(`Could not keep “${file.name}”: ${why}`, 'error')
    return false
  }
}
