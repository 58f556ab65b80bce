import { describe, expect, it } from 'vitest'
import { measureLoudness } from '../../src/dsp/loudness'
import { rgbToStereo } from '../../src/dsp/rgb-stereo'
import type { AudioValue } from '../../src/engine/values'
import { laneOverview, roomGains } from '../../src/media/lane-overview'

const rate = 48_000

function tone(hz: number, amplitude: number, channels = 1, sec = 3): AudioValue {
  const one = new Float32Array(rate * sec).map(
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  )
  return {
    kind: 'audio',
    sampleRate: rate,
    channels: Array.from({ length: channels }, () => one.slice()),
  }
}

describe('a lane’s overview', () => {
  it('measures a three-channel reading as heard: its red-left, green-centre, blue-right downmix', () => {
    const rgb: AudioValue = {
      kind: 'audio',
      sampleRate: rate,
      channels: [
        tone(440, 0.3).channels[0],
        tone(660, 0.1).channels[0],
        tone(880, 0.05).channels[0],
      ],
    }
    const { loudness } = laneOverview(rgb)
    expect(loudness).toEqual(measureLoudness(rgbToStereo(rgb.channels), rate))
    expect(loudness.integratedLufs).not.toEqual(measureLoudness(rgb.channels, rate).integratedLufs)
  })

  it('says a silent lane is silent (null), never NaN or −Infinity', () => {
    const { loudness, spectrogram } = laneOverview({
      kind: 'audio',
      sampleRate: rate,
      channels: [new Float32Array(rate)],
    })
    expect(loudness).toEqual({ integratedLufs: null, truePeakDbtp: null })
    expect(spectrogram.log.every((v) => v === 0)).toBe(true)
  })
})

describe('loudness matching in the room', () => {
  it('brings every lane to the quietest one’s loudness: measured again, they agree', () => {
    const lanes = [tone(1000, 0.5), tone(1000, 0.05), tone(300, 0.2, 2)]
    const measures = lanes.map((l) => measureLoudness(l.channels, rate))
    const gains = roomGains(measures, { match: true })
    const after = lanes.map((l, i) =>
      measureLoudness(
        l.channels.map((c) => c.map((v) => v * 10 ** (gains[i] / 20))),
        rate,
      ),
    )
    const quietest = Math.min(...measures.map((m) => m.integratedLufs ?? 0))
    for (const m of after) expect(m.integratedLufs).toBeCloseTo(quietest, 2)
    expect(gains[1]).toBeCloseTo(0, 6)
  })

  it('never lifts a lane past −1 dBTP: a target too loud is lowered for all alike', () => {
    const lanes = [tone(1000, 0.5), tone(1000, 0.25)]
    const measures = lanes.map((l) => measureLoudness(l.channels, rate))
    const gains = roomGains(measures, { match: true, targetLufs: 0 })
    for (let i = 0; i < lanes.length; i++)
      expect((measures[i].truePeakDbtp ?? 0) + gains[i]).toBeLessThanOrEqual(-1 + 1e-9)
    // Still matched with each other.
    expect((measures[0].integratedLufs ?? 0) + gains[0]).toBeCloseTo(
      (measures[1].integratedLufs ?? 0) + gains[1],
      6,
    )
  })

  it('leaves everything at 0 dB when off, and unmeasured lanes at 0 dB when on', () => {
    const m = measureLoudness(tone(1000, 0.5).channels, rate)
    expect(roomGains([m, m], { match: false })).toEqual([0, 0])
    expect(roomGains([undefined, m], { match: true })).toEqual([0, 0])
  })
})
