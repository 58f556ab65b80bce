import { describe, expect, it } from 'vitest'
import {
  biquadPowerGain,
  channelWeights,
  integratedLoudness,
  kWeightingFilters,
  matchLoudness,
  matchedTargetLufs,
  measureLoudness,
  truePeak,
  TRUE_PEAK_PHASES,
  type LoudnessMeasure,
} from '../../src/dsp/loudness'
import { mulberry32 } from '../../src/engine/random'
import { decodeWav } from '../../src/media/wav'
import { ffmpegLoudness, hasFfmpeg } from '../helpers/ffmpeg-loudness'
import { fixtureBytes, fixtureJson, fixturePath } from '../helpers/fixtures'

const sine = (n: number, rate: number, hz: number, amp: number, phase = 0): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate + phase))

/** Raised-cosine fades over `fade` samples at both ends: an abrupt edge rings in any interpolator. */
const faded = (x: Float32Array, fade: number): Float32Array =>
  x.map((v, i) => {
    const edge = Math.min(i, x.length - 1 - i)
    return edge >= fade ? v : v * 0.5 * (1 - Math.cos((Math.PI * edge) / fade))
  })

/** K-weighting's power gain at one frequency: both stages' |H|² multiplied. */
const kGain = (hz: number, rate: number): number => {
  const { shelf, highPass } = kWeightingFilters(rate)
  return biquadPowerGain(shelf, hz, rate) * biquadPowerGain(highPass, hz, rate)
}

/** Expected loudness of steady sines (amplitudes per channel, weight 1): −0.691 + 10·log10 Σ A²/2·K. */
const sineLufs = (amps: number[], hz: number, rate: number): number =>
  -0.691 + 10 * Math.log10(amps.reduce((s, a) => s + (a * a * kGain(hz, rate)) / 2, 0))

describe('K-weighting', () => {
  it('reproduces the BS.1770-4 48 kHz coefficients (Tables 1 and 2) from the analog prototype', () => {
    const { shelf, highPass } = kWeightingFilters(48000)
    const table1 = [1.53512485958697, -2.69169618940638, 1.19839281085285]
    const table1a = [-1.69065929318241, 0.73248077421585]
    expect(shelf.b0).toBeCloseTo(table1[0], 7)
    expect(shelf.b1).toBeCloseTo(table1[1], 7)
    expect(shelf.b2).toBeCloseTo(table1[2], 7)
    expect(shelf.a1).toBeCloseTo(table1a[0], 7)
    expect(shelf.a2).toBeCloseTo(table1a[1], 7)
    expect(highPass.a1).toBeCloseTo(-1.99004745483398, 7)
    expect(highPass.a2).toBeCloseTo(0.99007225036621, 7)
  })

  it('keeps the same frequency response at other sample rates (shelf +4 dB, 38 Hz high pass)', () => {
    for (const rate of [22050, 44100, 96000]) {
      // Bilinear warping shifts the response a little near Nyquist only.
      for (const hz of [20, 100, 1000, 4000])
        expect(Math.abs(10 * Math.log10(kGain(hz, rate) / kGain(hz, 48000)))).toBeLessThan(0.1)
    }
    expect(10 * Math.log10(kGain(8000, 48000))).toBeCloseTo(4, 0)
    expect(10 * Math.log10(kGain(20, 48000))).toBeLessThan(-10)
  })
})

describe('integrated loudness (analytic)', () => {
  it('measures a 1 kHz sine at −20 dBFS peak as −0.691 + 10·log10(0.005·K(1 kHz)) ≈ −23.0 LUFS', () => {
    const rate = 48000
    const expected = sineLufs([0.1], 1000, rate)
    expect(expected).toBeCloseTo(-23.0, 1)
    expect(integratedLoudness([sine(rate * 5, rate, 1000, 0.1)], rate)).toBeCloseTo(expected, 2)
  })

  it('calibrates as the spec says: a full-scale 997 Hz sine in one channel reads −3.01 LUFS, in both 0.0', () => {
    const rate = 48000
    const tone = sine(rate * 4, rate, 997, 1)
    const silent = new Float32Array(tone.length)
    expect(integratedLoudness([tone, silent], rate)).toBeCloseTo(-3.01, 2)
    expect(integratedLoudness([tone, tone], rate)).toBeCloseTo(0.0, 2)
    expect(integratedLoudness([tone], rate)).toBeCloseTo(sineLufs([1], 997, rate), 3)
  })

  it('agrees with the analytic value at 22.05 and 44.1 kHz too', () => {
    for (const rate of [22050, 44100]) {
      const x = sine(rate * 4, rate, 3000, 0.5)
      expect(integratedLoudness([x], rate)).toBeCloseTo(sineLufs([0.5], 3000, rate), 2)
    }
  })

  it('weights surround channels by 1.41 and ignores the LFE of a 5.1 layout', () => {
    expect(channelWeights(3)).toEqual([1, 1, 1])
    expect(channelWeights(5)).toEqual([1, 1, 1, 1.41, 1.41])
    expect(channelWeights(6)).toEqual([1, 1, 1, 0, 1.41, 1.41])
    const rate = 48000
    const tone = sine(rate * 2, rate, 1000, 0.5)
    const z = new Float32Array(tone.length)
    const front = integratedLoudness([tone, z, z, z, z, z], rate)!
    const surround = integratedLoudness([z, z, z, z, tone, z], rate)!
    expect(surround - front).toBeCloseTo(10 * Math.log10(1.41), 3)
    expect(integratedLoudness([z, z, z, tone, z, z], rate)).toBeNull()
  })

  it('gates: a loud passage followed by a much quieter one reads as the loud one', () => {
    const rate = 48000
    const loud = sine(rate * 3, rate, 1000, 0.5)
    const both = new Float32Array(rate * 9)
    both.set(loud)
    both.set(sine(rate * 6, rate, 1000, 0.005), loud.length) // 40 dB down: under the −10 LU gate
    const alone = integratedLoudness([loud], rate)!
    // Ungated, the quiet two thirds would pull it down by ~4.8 dB; only the blocks that straddle
    // the change (3 of 87) move it at all.
    expect(integratedLoudness([both], rate)).toBeCloseTo(alone, 0)
    expect(Math.abs(integratedLoudness([both], rate)! - alone)).toBeLessThan(0.3)
  })

  it('says null for silence, for audio shorter than one 400 ms block, and below −70 LUFS', () => {
    expect(measureLoudness([new Float32Array(48000)], 48000)).toEqual({
      integratedLufs: null,
      truePeakDbtp: null,
    })
    const short = measureLoudness([faded(sine(19000, 48000, 1000, 0.5), 2000)], 48000)
    expect(short.integratedLufs).toBeNull()
    expect(short.truePeakDbtp).toBeCloseTo(20 * Math.log10(0.5), 1)
    expect(integratedLoudness([sine(48000, 48000, 1000, 1e-4)], 48000)).toBeNull()
  })

  it('refuses NaN samples, no channels and a bad rate with a message saying what to do', () => {
    expect(() => measureLoudness([Float32Array.of(0, NaN)], 48000)).toThrow(/non-finite sample/)
    const late = new Float32Array(50_000)
    late[49_999] = -Infinity
    expect(() => measureLoudness([new Float32Array(10), late], 48000)).toThrow(
      /non-finite sample \(-Infinity at 49999\)/,
    )
    expect(() => integratedLoudness([Float32Array.of(Infinity)], 48000)).toThrow(/non-finite/)
    expect(() => measureLoudness([], 48000)).toThrow(/at least one channel/)
    expect(() => measureLoudness([new Float32Array(10)], 0)).toThrow(/positive sample rate/)
    expect(() => measureLoudness([new Float32Array(10)], 4000)).toThrow(/8 kHz or more/)
  })
})

describe('true peak', () => {
  it('finds the peak between samples: a sine at fs/4 sampled 45° off its crests', () => {
    const rate = 48000
    const n = rate
    const x = faded(sine(n, rate, rate / 4, 0.8, Math.PI / 4), 2400)
    const samplePeak = Math.max(...x.map(Math.abs))
    expect(20 * Math.log10(samplePeak)).toBeCloseTo(20 * Math.log10(0.8) - 3.01, 1)
    // The Annex's 48-tap filter has ~0.1 dB of ripple this close to Nyquist/2.
    expect(20 * Math.log10(truePeak([x]))).toBeCloseTo(20 * Math.log10(0.8), 0)
    expect(Math.abs(20 * Math.log10(truePeak([x]) / 0.8))).toBeLessThan(0.15)
  })

  it('never reads below the sample peak, and a lone full-scale click reads about +0 dBTP', () => {
    const click = new Float32Array(1000)
    click[500] = -1
    expect(truePeak([click])).toBeGreaterThanOrEqual(1)
    expect(truePeak([click])).toBeLessThan(1.01)
  })

  /**
   * The Annex's filter in direct form over every output, tails included, in float64, and the
   * sample peak (the meter includes it: a lower bound the filter's ripple can fall short of).
   */
  const directTruePeak = (channels: Float32Array[]): number => {
    let peak = Math.max(...channels.flatMap((x) => [...x].map(Math.abs)))
    for (const x of channels)
      for (let m = 0; m < x.length + 11; m++)
        for (const h of TRUE_PEAK_PHASES) {
          let y = 0
          for (let j = 0; j < 12; j++) y += h[j] * (x[m - j] ?? 0)
          peak = Math.max(peak, Math.abs(y))
        }
    return peak
  }

  it('equals the direct form wherever the peak lies: edges, swells, short and odd lengths', () => {
    // The meter skips runs of outputs that cannot beat the peak so far: put the peak where a
    // wrong skip or a wrong edge would miss it.
    const random = mulberry32(11)
    const noise = (n: number, amp: (i: number) => number): Float32Array =>
      Float32Array.from({ length: n }, (_, i) => amp(i) * (random() - 0.5))
    const cases: Float32Array[][] = [
      [noise(4801, (i) => 0.1 + 0.9 * Math.abs(Math.sin(i / 300)))],
      [noise(1000, () => 0.2), noise(1003, (i) => (i > 990 ? 1 : 0.2))], // peak in the tail
      [noise(997, (i) => (i < 3 ? 1 : 0.3))], // peak in the first outputs
      [Float32Array.of(0.5, -0.5, 0.5, -0.5)], // shorter than the filter
      ...[1, 5, 15, 16, 17, 31, 33].map((n) => [noise(n, () => 1)]),
      [sine(3000, 48000, 11000, 0.7, 0.3), noise(3000, (i) => (i % 700 < 20 ? 0.9 : 0.05))],
    ]
    for (const channels of cases) {
      const expected = directTruePeak(channels)
      // The meter sums the symmetric halves of the taps: the same products in another order.
      expect(Math.abs(truePeak(channels) - expected)).toBeLessThanOrEqual(1e-14 * expected)
      const measured = measureLoudness(channels, 48000).truePeakDbtp
      expect(measured).toBeCloseTo(20 * Math.log10(expected), 12)
    }
  })
})

interface FixtureEntry {
  file: string
  description: string
  sampleRate: number
  channels: number
  ffmpeg: LoudnessMeasure
}
const reference = fixtureJson<{ ffmpeg: string; fixtures: FixtureEntry[] }>('loudness/ffmpeg.json')

describe('against ffmpeg ebur128', () => {
  it('covers mono and stereo, 22.05/44.1/48 kHz, a quiet file, silence and gating', () => {
    const files = reference.fixtures
    expect(files.length).toBeGreaterThanOrEqual(6)
    expect(new Set(files.map((f) => f.channels))).toEqual(new Set([1, 2]))
    expect(new Set(files.map((f) => f.sampleRate))).toEqual(new Set([22050, 44100, 48000]))
    expect(
      files.some((f) => f.ffmpeg.integratedLufs !== null && f.ffmpeg.integratedLufs < -40),
    ).toBe(true)
    expect(files.some((f) => f.ffmpeg.integratedLufs === null)).toBe(true)
  })

  const compare = (ours: LoudnessMeasure, theirs: LoudnessMeasure): void => {
    if (theirs.integratedLufs === null) expect(ours.integratedLufs).toBeNull()
    else expect(Math.abs(ours.integratedLufs! - theirs.integratedLufs)).toBeLessThanOrEqual(0.1)
    if (theirs.truePeakDbtp === null) expect(ours.truePeakDbtp).toBeNull()
    // ffmpeg prints the peak to 0.1 dB and oversamples with its own resampler.
    else expect(Math.abs(ours.truePeakDbtp! - theirs.truePeakDbtp)).toBeLessThanOrEqual(0.3)
  }

  for (const entry of reference.fixtures)
    it(`matches ffmpeg's stored reading of ${entry.file} within 0.1 LU and 0.3 dB`, () => {
      const audio = decodeWav(fixtureBytes(`loudness/${entry.file}`))
      expect(audio.sampleRate).toBe(entry.sampleRate)
      expect(audio.channels.length).toBe(entry.channels)
      compare(measureLoudness(audio.channels, audio.sampleRate), entry.ffmpeg)
    })

  it.runIf(hasFfmpeg())('matches ffmpeg measured now, on every fixture', () => {
    for (const entry of reference.fixtures) {
      const path = fixturePath(`loudness/${entry.file}`)
      const audio = decodeWav(fixtureBytes(`loudness/${entry.file}`))
      compare(measureLoudness(audio.channels, audio.sampleRate), ffmpegLoudness(path))
    }
  })
})

describe('matchLoudness', () => {
  const lane = (lufs: number | null, peak: number | null): LoudnessMeasure => ({
    integratedLufs: lufs,
    truePeakDbtp: peak,
  })

  it('brings every lane to the quietest one by default, silent lanes get 0', () => {
    expect(matchLoudness([lane(-14, -3), lane(-20, -8), lane(null, null)])).toEqual([-6, 0, 0])
  })

  it('goes to a given target', () => {
    expect(matchLoudness([lane(-14, -10), lane(-20, -15)], { targetLufs: -18 })).toEqual([-4, 2])
  })

  it('lowers the common target so no lane passes the ceiling, keeping the lanes matched', () => {
    // Lifting lane 1 (peak 16 dB over its loudness) to −14 would peak at +2 dBTP; the target
    // drops to −17 for both lanes, so lane 2 comes down 3 dB as lane 1 goes up 3.
    const measures = [lane(-20, -4), lane(-14, -2)]
    expect(matchedTargetLufs(measures, { targetLufs: -14 })).toBe(-17)
    const gains = matchLoudness(measures, { targetLufs: -14 })
    expect(gains).toEqual([3, -3])
    measures.forEach((m, i) => expect(m.truePeakDbtp! + gains[i]).toBeLessThanOrEqual(-1))
    expect(matchLoudness([lane(-10, 0)], { ceilingDbtp: -3 })).toEqual([-3])
  })

  it('returns all zeros when every lane is silent', () => {
    expect(matchLoudness([lane(null, null), lane(null, -80)])).toEqual([0, 0])
    expect(matchedTargetLufs([])).toBeNull()
  })
})
