/**
 * Preset thumbnails, made by `scripts/preset-thumbnails.ts` (each preset run headless) and
 * bundled by Vite as URLs. A preset without one is drawn as a sketch of its graph instead.
 */
const URLS = import.meta.glob<string>('../../../presets/thumbnails/*.png', {
  eager: true,
  query: '?url',
  import: 'default',
})

/** The thumbnail of `presets/NAME.json`, if there is one. */
export function presetThumbnail(file: string): string | undefined {
  const png = file.replace(/\.json$/, '.png')
  return Object.entries(URLS).find(([path]) => path.endsWith(`/thumbnails/${png}`))?.[1]
}
