import { unzipSync, zipSync, type Zippable } from 'fflate'
import { describe, expect, it } from 'vitest'
import { joinArrays } from '../../src/engine/join-arrays'
import { StoredZip } from '../../src/media/stored-zip'

/** fflate's zipSync is the reference: the streamed archive must be the same bytes. */
function streamed(files: [string, Uint8Array][], mtime: Date): Uint8Array {
  const zip = new StoredZip(mtime)
  const parts = files.flatMap(([name, bytes]) => zip.add(name, bytes))
  parts.push(zip.finish())
  return joinArrays(Uint8Array, parts)
}

describe('StoredZip', () => {
  it('writes the bytes zipSync writes for stored files, one file at a time', () => {
    const mtime = new Date(2000, 0, 1, 13, 37, 42)
    const files: [string, Uint8Array][] = [
      ['clip/000001.png', Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255)],
      ['clip/000002.png', new Uint8Array(0)],
      ['clip/ünïcode.png', Uint8Array.from([1, 2, 3])],
    ]
    const reference: Zippable = {}
    for (const [name, bytes] of files) reference[name] = [bytes, { level: 0 }]
    const expected = zipSync(reference, { mtime })
    const actual = streamed(files, mtime)
    expect(actual).toEqual(expected)
    const back = unzipSync(actual)
    expect(Object.keys(back)).toEqual(files.map(([n]) => n))
    expect(back['clip/000001.png']).toEqual(files[0][1])
  })

  it('makes an empty archive zipSync would make', () => {
    const mtime = new Date(2000, 0, 1)
    expect(streamed([], mtime)).toEqual(zipSync({}, { mtime }))
  })
})
