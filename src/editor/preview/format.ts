/** 0.5 → "0.50 s", 75 → "1:15". */
export function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec)) return '–'
  if (sec < 60) return `${sec.toFixed(sec < 10 ? 2 : 1)} s`
  const m = Math.floor(sec / 60)
  const s = Math.round(sec - m * 60)
  return `${m}:${String(s).padStart(2, '0')}`
}

/** 0.0123 → "12 ms", 1.5 → "1.5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1) return '<1 ms'
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

export function formatHz(hz: number): string {
  return hz >= 1000 ? `${(hz / 1000).toFixed(hz >= 10_000 ? 0 : 1)} kHz` : `${Math.round(hz)} Hz`
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value)
  const abs = Math.abs(value)
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6)
    ? value.toExponential(3)
    : String(+value.toFixed(4))
}
