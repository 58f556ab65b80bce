/**
 * Sizes as people read them on download pages: decimal units (1 GB = 10⁹ bytes), the units
 * Hugging Face and models/README.md use, so "≈ 2.6 GB" here matches what they saw there.
 */
export function formatSize(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`
  return `${(bytes / 1e9).toFixed(1)} GB`
}
