import { describe, expect, it } from 'vitest'
import {
  buildContactSheet,
  contactSheetHeight,
  formatDuration,
  formatGain,
  formatLufs,
  type ContactSheetLane,
} from '../../src/media/contact-sheet'

const tone = (seconds: number, rate: number, hz: number, amp: number): Float32Array =>
  Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate),
  )

const lane = (
  label: string,
  channels: Float32Array[],
  rate = 48000,
  gainDb = 0,
): ContactSheetLane => ({
  label,
  channels,
  sampleRate: rate,
  integratedLufs: -20,
  truePeakDbtp: -6,
  gainDb,
})

const luma = (img: { width: number; channels: Float32Array[] }, x: number, y: number): number =>
  img.channels.reduce((s, c) => s + c[y * img.width + x], 0) / 3

/** The row (within [top, top + rows)) of the brightest pixel in column x. */
const brightestRow = (
  img: { width: number; channels: Float32Array[] },
  x: number,
  top: number,
  rows: number,
): number => {
  let best = top
  for (let y = top; y < top + rows; y++) if (luma(img, x, y) > luma(img, x, best)) best = y
  return best
}

describe('contact sheet', () => {
  const width = 640
  const laneHeight = 100
  // Geometry of the sheet without a title: the first strip starts after the padding and one
  // text line, the plot after the frequency axis (see contact-sheet.ts).
  const firstStripTop = 10 + 8 * 2 + 6
  const plotLeft = 10 + 36

  it('is as tall as its lanes need and three-channel', () => {
    const img = buildContactSheet([lane('a', [tone(1, 48000, 1000, 0.5)])], { width, laneHeight })
    expect(img.width).toBe(width)
    expect(img.height).toBe(contactSheetHeight(1, { laneHeight }))
    expect(img.channels).toHaveLength(3)
  })

  it('draws a 1 kHz tone on the 1 kHz row of a log axis from 30 Hz to Nyquist', () => {
    const img = buildContactSheet([lane('tone', [tone(2, 48000, 1000, 0.5)])], {
      width,
      laneHeight,
    })
    const expected =
      firstStripTop +
      Math.round((1 - Math.log(1000 / 30) / Math.log(24000 / 30)) * (laneHeight - 1))
    const row = brightestRow(img, plotLeft + 200, firstStripTop, laneHeight)
    expect(Math.abs(row - expected)).toBeLessThanOrEqual(1)
  })

  it('puts lanes on one time scale: a lane half as long ends half way', () => {
    const img = buildContactSheet(
      [lane('long', [tone(4, 48000, 1000, 0.5)]), lane('short', [tone(2, 48000, 1000, 0.5)])],
      { width, laneHeight },
    )
    const plotWidth = width - plotLeft - 10
    const secondTop = firstStripTop + laneHeight + 10 + 8 * 2 + 6
    const row = brightestRow(img, plotLeft + 10, secondTop, laneHeight)
    expect(luma(img, plotLeft + Math.round(plotWidth / 2) - 3, row)).toBeGreaterThan(0.5)
    // Past its end the strip is the plain "ended" grey.
    expect(luma(img, plotLeft + Math.round(plotWidth / 2) + 3, row)).toBeCloseTo(0.147, 2)
  })

  it('draws one level scale for all lanes, with each lane’s gain applied', () => {
    const loud = tone(2, 48000, 1000, 0.5)
    const img = buildContactSheet([lane('loud', [loud]), lane('quieted', [loud], 48000, -30)], {
      width,
      laneHeight,
    })
    const secondTop = firstStripTop + laneHeight + 10 + 8 * 2 + 6
    const a = brightestRow(img, plotLeft + 100, firstStripTop, laneHeight)
    const b = brightestRow(img, plotLeft + 100, secondTop, laneHeight)
    expect(luma(img, plotLeft + 100, b)).toBeLessThan(luma(img, plotLeft + 100, a) - 0.2)
  })

  it('survives silence and no lanes, without NaN', () => {
    const silent = {
      ...lane('quiet', [new Float32Array(48000)]),
      integratedLufs: null,
      truePeakDbtp: null,
    }
    for (const img of [buildContactSheet([silent]), buildContactSheet([])])
      for (const c of img.channels) expect(c.every((v) => Number.isFinite(v))).toBe(true)
  })

  it('formats times, loudness and gains as the room shows them', () => {
    expect(formatDuration(1.25)).toBe('0:01.25')
    expect(formatDuration(62.349)).toBe('1:02.35')
    expect(formatDuration(59.999)).toBe('1:00.00')
    expect(formatLufs(-23.44)).toBe('-23.4 LUFS')
    expect(formatLufs(null)).toBe('silent')
    expect(formatGain(3.21)).toBe('+3.2 dB')
    expect(formatGain(-0.04)).toBe('+0.0 dB')
    expect(formatGain(-2.06)).toBe('-2.1 dB')
  })
})
