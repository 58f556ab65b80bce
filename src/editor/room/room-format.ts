/**
 * A transport position as a musician reads it: `0:01.25` (minutes, seconds, hundredths),
 * `1:02:03.40` past an hour. Rounded down, so the display never runs ahead of the sound.
 */
export function formatRoomTime(sec: number): string {
  const hundredths = Number.isFinite(sec) && sec > 0 ? Math.floor(sec * 100 + 1e-6) : 0
  const cs = hundredths % 100
  const totalSec = Math.floor(hundredths / 100)
  const s = totalSec % 60
  const totalMin = Math.floor(totalSec / 60)
  const two = (n: number) => String(n).padStart(2, '0')
  const tail = `${two(s)}.${two(cs)}`
  return totalMin >= 60
    ? `${Math.floor(totalMin / 60)}:${two(totalMin % 60)}:${tail}`
    : `${totalMin}:${tail}`
}

/** −23.4 LUFS (with a true minus sign), or "silent" where the meter found nothing to gate. */
export function formatLufs(lufs: number | null | undefined): string {
  if (lufs === null || lufs === undefined || !Number.isFinite(lufs)) return 'silent'
  return `${signed(lufs, 1)} LUFS`
}

/** −1.2 dBTP, or "silent". */
export function formatTruePeak(dbtp: number | null | undefined): string {
  if (dbtp === null || dbtp === undefined || !Number.isFinite(dbtp)) return 'silent'
  return `${signed(dbtp, 1)} dBTP`
}

/** A gain in dB with its sign: +3.2 dB, −6.0 dB, 0.0 dB. */
export function formatGainDb(db: number): string {
  return `${db > 0.05 ? '+' : ''}${signed(db, 1)} dB`
}

function signed(value: number, digits: number): string {
  const text = value.toFixed(digits)
  const zero = Number(text) === 0
  return zero ? (0).toFixed(digits) : text.replace('-', '−')
}
