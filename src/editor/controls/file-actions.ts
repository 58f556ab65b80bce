import { fileParamOf, type AnyNodeDefinition } from '../../engine/define-node'
import type { NodeRegistry } from '../../engine/registry'
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

/** A file's first bytes: enough to tell what it is (`accepts` on loaders) and check its header. */
export async function headOf(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
}

/** The param of `def` a file starting with `head` goes into, when the node kind reads it. */
export function paramReading(def: AnyNodeDefinition, head: Uint8Array): string | undefined {
  return def.accepts?.(head) ? fileParamOf(def) : undefined
}

/**
 * The node kind to make for a file dropped on the empty canvas: the first registered loader
 * whose definition accepts the file's first bytes.
 */
export function loaderFor(
  registry: NodeRegistry,
  head: Uint8Array,
): { def: AnyNodeDefinition; param: string } | undefined {
  for (const def of registry.all()) {
    const param = paramReading(def, head)
    if (param) return { def, param }
  }
  return undefined
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
    const head = await headOf(file)
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
