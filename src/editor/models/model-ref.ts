import { findManifest, type ModelManifest } from '../../diffusion/manifests'
import { storageKey } from '../../diffusion/browser/model-store'

/**
 * What a Stable Diffusion node's `model` param names, in words for the picker and the panel.
 * The param's syntax is the resolver's (src/diffusion/resolve.ts): 'tiny', a manifest id, an
 * https:// URL, 'folder:NAME', or (command line only) a path; '' in Model B means "model A".
 */
export type ModelRefKind = 'same' | 'tiny' | 'manifest' | 'url' | 'folder' | 'path'

export interface ModelRefInfo {
  kind: ModelRefKind
  /** Short, for a node's control. */
  label: string
  /** Longer, for its tooltip. */
  detail: string
  manifest?: ModelManifest
  /** Shown with the tiny model: its pictures are noise. */
  warning?: string
}

export const TINY_NOTE = 'Random weights: its pictures are noise. For trying the graph offline.'

/** "SD-Turbo (fp16 weights, …)" → "SD-Turbo". */
export function shortName(manifest: ModelManifest): string {
  return manifest.name.replace(/\s*\(.*$/, '')
}

/** "https://huggingface.co/a/b/resolve/main/" → "huggingface.co/a/b". */
export function shortUrl(url: string): string {
  return url
    .replace(/^https?:\/\//, '')
    .replace(/\/resolve\/[^/]+\/?$/, '')
    .replace(/\/$/, '')
}

export function describeModelRef(ref: string, emptyMeans: 'tiny' | 'same' = 'tiny'): ModelRefInfo {
  const value = ref.trim()
  if (value === '' && emptyMeans === 'same') {
    return { kind: 'same', label: 'Same as Model A', detail: 'Model A denoises these steps too.' }
  }
  if (value === '' || value === 'tiny') {
    return {
      kind: 'tiny',
      label: 'Tiny test model',
      detail: `The bundled tiny model. ${TINY_NOTE}`,
      warning: 'noise',
    }
  }
  const manifest = findManifest(value)
  if (manifest) {
    return { kind: 'manifest', label: shortName(manifest), detail: manifest.name, manifest }
  }
  if (/^https?:\/\//i.test(value)) return { kind: 'url', label: shortUrl(value), detail: value }
  if (value.startsWith('folder:')) {
    const name = value.slice('folder:'.length)
    return {
      kind: 'folder',
      label: `Folder “${name}”`,
      detail: `The folder “${name}” picked in this browser.`,
    }
  }
  return { kind: 'path', label: value, detail: `A folder on disk (command line): ${value}` }
}

/** The storage key (browser/model-store.ts) a downloadable ref is kept under, if any. */
export function storedKeyOf(ref: string): string | undefined {
  const manifest = findManifest(ref.trim())
  const base = manifest?.baseUrl ?? (/^https?:\/\//i.test(ref.trim()) ? ref.trim() : undefined)
  if (!base) return undefined
  return storageKey(base.endsWith('/') ? base : `${base}/`)
}

const URLS_KEY = 'synesthete.modelUrls'

/** Model URLs used in this browser, so stored downloads can be named and used again. */
export function rememberedModelUrls(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(URLS_KEY) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string') : []
  } catch {
    return []
  }
}

export function rememberModelUrl(url: string): void {
  const urls = [url, ...rememberedModelUrls().filter((u) => u !== url)].slice(0, 20)
  try {
    localStorage.setItem(URLS_KEY, JSON.stringify(urls))
  } catch {
    // storage blocked: the URL is still in the graph, only this list forgets it
  }
}
