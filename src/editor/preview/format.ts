/** 0.5 → "0.50 s", 75 → "1:15", 179.99 → "3:00". */
export function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec)) return '–'
  // Each branch checks the value as it will be rounded, so 9.999 is not "10.00 s" and 59.97
  // not "60.0 s"; minutes come from the rounded total, so 179.99 is not "2:60".
  if (Math.round(sec * 100) < 1000) return `${sec.toFixed(2)} s`
  if (Math.round(sec * 10) < 600) return `${sec.toFixed(1)} s`
  const total = Math.round(sec)
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
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
