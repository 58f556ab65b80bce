import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { measureLoudness } from '../../src/dsp/loudness'
import { RGB_STEREO_DESCRIPTION } from '../../src/dsp/rgb-stereo'
import { buildListenExport, listenZip, type ListenManifest } from '../../src/media/listen-export'
import { decodePng, readPngText } from '../../src/media/png'
import { decodeWav, readWavChunks } from '../../src/media/wav'

const tone = (seconds: number, rate: number, hz: number, amp: number): Float32Array =>
  Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate),
  )

describe('listening room export', () => {
  const rate = 44100
  const lanes = [
    { node: 'a', label: 'Take', sampleRate: rate, channels: [tone(2, rate, 440, 0.5)] },
    {
      node: 'b',
      label: 'Take',
      sampleRate: rate,
      channels: [tone(1, rate, 300, 0.05), tone(1, rate, 600, 0.05), tone(1, rate, 900, 0.05)],
      wavChunks: [{ id: 'test', data: new TextEncoder().encode('provenance') }],
    },
    { node: 'c', label: 'Nothing', sampleRate: rate, channels: [new Float32Array(rate)] },
  ]
  const exported = buildListenExport(lanes, { sheetText: { Comment: 'sheet provenance' } })
  const byName = new Map(exported.files.map((f) => [f.fileName, f.bytes]))

  it('names each WAV once and writes listen.png and listen.json beside them', () => {
    expect([...byName.keys()]).toEqual([
      'Take.wav',
      'Take-2.wav',
      'Nothing.wav',
      'listen.png',
      'listen.json',
    ])
    const manifest = JSON.parse(
      new TextDecoder().decode(byName.get('listen.json')),
    ) as ListenManifest
    expect(manifest).toEqual(exported.manifest)
    expect(manifest.lanes.map((l) => l.file)).toEqual(['Take.wav', 'Take-2.wav', 'Nothing.wav'])
  })

  it('plays a three-channel reading as stereo, red left, green centre, blue right', () => {
    const rgb = exported.manifest.lanes[1]
    expect(rgb.channels).toBe(3)
    expect(rgb.playedAs).toBe(RGB_STEREO_DESCRIPTION)
    const wav = decodeWav(byName.get('Take-2.wav')!)
    expect(wav.channels).toHaveLength(2)
    expect(readWavChunks(byName.get('Take-2.wav')!).map((c) => c.id)).toContain('test')
  })

  it('matches the lanes to the quieter one, leaves the silent lane alone', () => {
    const [a, b, c] = exported.manifest.lanes
    expect(exported.manifest.targetLufs).toBeCloseTo(b.integratedLufs!, 6)
    expect(b.gainDb).toBeCloseTo(0, 6)
    expect(a.gainDb).toBeCloseTo(b.integratedLufs! - a.integratedLufs!, 6)
    expect(c).toMatchObject({
      integratedLufs: null,
      truePeakDbtp: null,
      gainDb: 0,
      matchedLufs: null,
    })
    for (const name of ['Take.wav', 'Take-2.wav']) {
      const wav = decodeWav(byName.get(name)!)
      const measured = measureLoudness(wav.channels, wav.sampleRate)
      expect(Math.abs(measured.integratedLufs! - exported.manifest.targetLufs!)).toBeLessThan(0.05)
    }
  })

  it('zips every file in one folder, the sheet still a PNG carrying its text', () => {
    const zip = listenZip(exported, 'My room')
    expect(zip.fileName).toBe('My room.zip')
    const entries = unzipSync(zip.bytes)
    expect(Object.keys(entries).sort()).toEqual(
      [...byName.keys()].map((n) => `My room/${n}`).sort(),
    )
    const sheet = decodePng(entries['My room/listen.png'])
    expect(sheet.width).toBe(960)
    expect(readPngText(entries['My room/listen.png']).Comment).toBe('sheet provenance')
    expect(listenZip(exported, 'My room').bytes).toEqual(zip.bytes)
  })
})
