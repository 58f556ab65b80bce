import { describe, expect, it } from 'vitest'
import { encodeOutputs, type EncodedRef, type NodeOutputs } from '../../src/engine/codec'
import type { AudioValue, ImageValue, SpectrogramValue } from '../../src/engine/values'
import { niceTicks } from '../../src/editor/preview/axes'
import { createThumbMaker } from '../../src/editor/preview/thumb-client'
import { thumbDataOf, THUMB_WIDTH } from '../../src/editor/preview/thumb-data'
import { createThumbHost, type ThumbRequest } from '../../src/editor/preview/thumb-host'
import { imageRaster, spectrogramRaster, waveformPeaks } from '../../src/editor/preview/thumbs'

function spectrogram(
  bins: number,
  frames: number,
  loud: (bin: number) => boolean,
): SpectrogramValue {
  const data = new Float32Array(bins * frames)
  for (let b = 0; b < bins; b++)
    for (let f = 0; f < frames; f++) data[b * frames + f] = loud(b) ? 1 : 1e-9
  return {
    kind: 'spectrogram',
    sampleRate: 8000,
    fftSize: (bins - 1) * 2,
    hopSize: 64,
    window: 'hann',
    center: true,
    scale: 'magnitude',
    bins,
    frames,
    channels: [data],
  }
}

const brightness = (rgba: Uint8ClampedArray, width: number, x: number, y: number) => {
  const o = (y * width + x) * 4
  return rgba[o] + rgba[o + 1] + rgba[o + 2]
}

describe('thumbnails', () => {
  it('draws bin 0 of a spectrogram at the bottom', () => {
    const raster = spectrogramRaster(
      spectrogram(64, 32, (b) => b < 8),
      16,
      16,
    )
    expect(brightness(raster.rgba, 16, 4, 15)).toBeGreaterThan(brightness(raster.rgba, 16, 4, 0))
  })

  it('keeps row 0 of an image at the top while downscaling', () => {
    const width = 40
    const height = 40
    const grey = new Float32Array(width * height)
    grey.fill(1, 0, width * 4) // the first rows are white
    const image: ImageValue = { kind: 'image', width, height, channels: [grey] }
    const raster = imageRaster(image, 10, 10)
    expect([raster.width, raster.height]).toEqual([10, 10])
    expect(raster.rgba[0]).toBe(255)
    expect(raster.rgba[9 * 10 * 4]).toBe(0)
  })

  it('finds the extremes of every slice of a waveform', () => {
    const samples = new Float32Array(1000)
    samples[10] = 0.9
    samples[990] = -0.7
    const peaks = waveformPeaks({ kind: 'audio', sampleRate: 1000, channels: [samples] }, 10)
    expect(peaks.max[0]).toBeCloseTo(0.9)
    expect(peaks.min[9]).toBeCloseTo(-0.7)
    expect(peaks.max[5]).toBe(0)
  })

  it('picks round axis ticks', () => {
    expect(niceTicks(0, 6, 6)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(niceTicks(0, 22050, 5)).toEqual([0, 5000, 10000, 15000, 20000])
  })
})

/** Audio of `samples` per channel, its peak `peak`. */
function audio(samples: number, peak = 0.5, channels = 2): AudioValue {
  const data = new Float32Array(samples)
  data[samples - 1] = -peak
  return {
    kind: 'audio',
    sampleRate: 44100,
    channels: Array.from({ length: channels }, () => data),
  }
}

/** An audio output as a worker's result gives it: the value and the cache Blob it sits in. */
function fromWorker(value: AudioValue): { value: AudioValue; stored: EncodedRef } {
  const outputs: NodeOutputs = { audio: value }
  const blob = new Blob([encodeOutputs(outputs) as Uint8Array<ArrayBuffer>])
  return { value, stored: { blob, port: 'audio' } }
}

/** The thumbnail worker's host in this thread, behind asynchronous messages. */
class FakeThumbWorker extends EventTarget {
  readonly asked: string[] = []
  private readonly answer = createThumbHost()
  silent = false

  postMessage(request: ThumbRequest): void {
    this.asked.push(request.port)
    if (this.silent) return
    void this.answer(request).then(({ reply, transfer }) => {
      const data: unknown = structuredClone(reply, { transfer })
      this.dispatchEvent(new MessageEvent('message', { data }))
    })
  }

  terminate(): void {}
}

describe('preview data', () => {
  it("keeps a waveform's peaks at the thumbnail's width and its peak level", () => {
    const data = thumbDataOf(audio(10_000, 0.25))
    expect(data.peaks.min).toHaveLength(THUMB_WIDTH)
    expect(data.peak).toBeCloseTo(0.25)
  })

  it('is made from the cache Blob of a value, for the port asked', async () => {
    const outputs = { left: audio(500, 0.5, 1), right: audio(500, 0.75, 1) }
    const blob = new Blob([encodeOutputs(outputs) as Uint8Array<ArrayBuffer>])
    const answer = createThumbHost()
    const [left, right] = await Promise.all([
      answer({ id: 1, blob, port: 'left' }),
      answer({ id: 2, blob, port: 'right' }),
    ])
    expect(left.reply).toMatchObject({ id: 1, data: { kind: 'audio', peak: 0.5 } })
    expect(right.reply).toMatchObject({ id: 2, data: { kind: 'audio', peak: 0.75 } })
    expect(right.transfer).toHaveLength(2)
    expect((await answer({ id: 3, blob, port: 'gone' })).reply).toEqual({
      id: 3,
      error: 'No output "gone" to preview',
    })
  })
})

describe('thumbnail maker', () => {
  const large = 300_000 // samples per channel: 2.4 MB of stereo, past what the page previews

  it('previews small values on the page at once', () => {
    const worker = new FakeThumbWorker()
    const maker = createThumbMaker(() => worker as unknown as Worker)
    const { value: small, stored: smallAt } = fromWorker(audio(1000, 0.5))
    expect(maker.now(small, smallAt)?.peak).toBeCloseTo(0.5)
    expect(worker.asked).toEqual([])
  })

  it('has a worker preview large values from their cache Blob, once', async () => {
    const worker = new FakeThumbWorker()
    const maker = createThumbMaker(() => worker as unknown as Worker)
    const { value: long, stored: longAt } = fromWorker(audio(large, 0.5))
    expect(maker.now(long, longAt)).toBeUndefined()
    await Promise.all([maker.later(long, longAt), maker.later(long, longAt)])
    expect(maker.now(long, longAt)?.peak).toBeCloseTo(0.5)
    expect(worker.asked).toEqual(['audio'])
  })

  it('previews a large value on the page when it has no cache Blob', () => {
    const worker = new FakeThumbWorker()
    const maker = createThumbMaker(() => worker as unknown as Worker)
    expect(maker.now(audio(large, 0.5))?.peak).toBeCloseTo(0.5)
    expect(worker.asked).toEqual([])
  })

  it('previews on the page when the worker dies or cannot start', async () => {
    const worker = new FakeThumbWorker()
    worker.silent = true
    const dying = createThumbMaker(() => worker as unknown as Worker)
    const { value: long, stored: longAt } = fromWorker(audio(large, 0.5))
    const pending = dying.later(long, longAt)
    worker.dispatchEvent(new Event('error', { cancelable: true }))
    await pending
    expect(dying.now(long, longAt)?.peak).toBeCloseTo(0.5)

    const blocked = createThumbMaker(() => {
      throw new Error('no workers here')
    })
    const { value: other, stored: otherAt } = fromWorker(audio(large, 0.25))
    expect(blocked.now(other, otherAt)).toBeUndefined()
    await blocked.later(other, otherAt)
    expect(blocked.now(other, otherAt)?.peak).toBeCloseTo(0.25)
    const { value: third, stored: thirdAt } = fromWorker(audio(large, 0.125))
    expect(blocked.now(third, thirdAt)?.peak).toBeCloseTo(0.125) // no second try at a worker
  })
})
