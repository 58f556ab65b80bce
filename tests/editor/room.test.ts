import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { mulberry32 } from '../../src/engine/random'
import { validateGraph } from '../../src/engine/validate'
import type { GraphDocument } from '../../src/engine/document'
import { abxPValue, abxScore, abxX, answerAbx, startAbx } from '../../src/editor/room/abx'
import { letterOf, rankLane, rankOf, revealBlind, startBlind } from '../../src/editor/room/blind'
import { equalPowerCurve } from '../../src/editor/room/crossfade'
import { laneSegments, panView, zoomView } from '../../src/editor/room/lane-draw'
import {
  addLane,
  deriveLanes,
  moveLane,
  removeLane,
  roomOf,
  setPastEnd,
  sourcePictureOf,
} from '../../src/editor/room/lanes'
import {
  formatGainDb,
  formatLufs,
  formatRoomTime,
  formatTruePeak,
} from '../../src/editor/room/room-format'
import { formatP } from '../../src/editor/room/TestPanel'

function defaultGraph(): GraphDocument {
  const raw: unknown = JSON.parse(readFileSync('presets/default.json', 'utf8'))
  const result = validateGraph(raw, registry)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'))
  return result.graph
}

describe('the ABX p-value (one-sided binomial, chance ½)', () => {
  it('matches exact sums of binomial coefficients', () => {
    // Σ_{i=k}^{n} C(n,i) / 2ⁿ, by hand: 10 trials, 9 right: (C(10,9) + C(10,10)) / 1024.
    expect(abxPValue(10, 9)).toBe(11 / 1024)
    expect(abxPValue(16, 12)).toBe((1820 + 560 + 120 + 16 + 1) / 65536)
    expect(abxPValue(10, 10)).toBe(1 / 1024)
    expect(abxPValue(8, 4)).toBe((70 + 56 + 28 + 8 + 1) / 256)
    expect(abxPValue(5, 0)).toBe(1)
    expect(abxPValue(0, 0)).toBe(1)
  })

  it('stays exact far beyond what a double could sum naively', () => {
    // 2000 of 2000 right: exactly 2^−2000, below the smallest double: 0, not NaN.
    expect(abxPValue(2000, 2000)).toBe(0)
    // 1000 trials, 1000 right: 2^−1000 exactly.
    expect(abxPValue(1000, 1000)).toBe(2 ** -1000)
    // Half right in a long run is what guessing gives: p a little above ½.
    const p = abxPValue(1000, 500)
    expect(p).toBeGreaterThan(0.5)
    expect(p).toBeLessThan(0.52)
  })

  it('refuses impossible counts with a reason', () => {
    expect(() => abxPValue(3, 4)).toThrow(/impossible/)
    expect(() => abxPValue(2.5, 1)).toThrow(/whole counts/)
  })

  it('formats like a statistician', () => {
    expect(formatP(11 / 1024)).toBe('0.011')
    expect(formatP(0.5)).toBe('0.50')
    expect(formatP(1e-6)).toBe('< 0.0001')
  })
})

describe('an ABX session', () => {
  it('counts answers against the hidden X and scores them', () => {
    const random = mulberry32(7)
    let state = startAbx('a:audio', 'b:audio', random)
    const truth: string[] = []
    for (let i = 0; i < 6; i++) {
      truth.push(abxX(state))
      // Right four times, then wrong twice.
      const x = state.trials.at(-1)?.x ?? 'A'
      state = answerAbx(state, i < 4 ? x : x === 'A' ? 'B' : 'A', random)
    }
    expect(truth.every((k) => k === 'a:audio' || k === 'b:audio')).toBe(true)
    const score = abxScore(state)
    expect(score).toEqual({ trials: 6, correct: 4, pValue: (15 + 6 + 1) / 64 })
    expect(state.trials).toHaveLength(7) // the next trial is open
  })
})

describe('blind mode', () => {
  const keys = ['a', 'b', 'c', 'd']

  it('shuffles every lane behind a letter, each once', () => {
    const state = startBlind(keys, mulberry32(3))
    expect([...state.order].sort()).toEqual(keys)
    expect(state.order.map((k) => letterOf(state, k))).toEqual(['A', 'B', 'C', 'D'])
    // Over many shuffles every lane lands first sometimes: it really is shuffled.
    const firsts = new Set<string>()
    const random = mulberry32(11)
    for (let i = 0; i < 50; i++) firsts.add(startBlind(keys, random).order[0])
    expect(firsts.size).toBe(4)
  })

  it('ranks, re-ranks and reveals, putting the unranked last', () => {
    let state = startBlind(keys, mulberry32(5))
    state = rankLane(state, 'c', 1)
    state = rankLane(state, 'a', 1)
    state = rankLane(state, 'c', 3) // moved down: only two ranked, so it goes last of them
    expect(state.ranking).toEqual(['a', 'c'])
    expect(rankOf(state, 'a')).toBe(1)
    expect(rankOf(state, 'b')).toBeUndefined()
    const revealed = revealBlind(state)
    expect(revealed.revealed).toBe(true)
    expect(revealed.ranking.slice(0, 2)).toEqual(['a', 'c'])
    expect([...revealed.ranking].sort()).toEqual(keys)
    // After the reveal the ranking is final.
    expect(rankLane(revealed, 'b', 1)).toBe(revealed)
  })
})

describe('room formats', () => {
  it('shows the position as m:ss.cc, rounding down', () => {
    expect(formatRoomTime(1.25)).toBe('0:01.25')
    expect(formatRoomTime(0)).toBe('0:00.00')
    expect(formatRoomTime(59.999)).toBe('0:59.99')
    expect(formatRoomTime(61.5)).toBe('1:01.50')
    expect(formatRoomTime(3723.4)).toBe('1:02:03.40')
    expect(formatRoomTime(Number.NaN)).toBe('0:00.00')
  })

  it('says silent instead of NaN or −Infinity, with true minus signs', () => {
    expect(formatLufs(-23.44)).toBe('−23.4 LUFS')
    expect(formatLufs(null)).toBe('silent')
    expect(formatLufs(-Infinity)).toBe('silent')
    expect(formatTruePeak(-0.04)).toBe('0.0 dBTP')
    expect(formatTruePeak(-1.26)).toBe('−1.3 dBTP')
    expect(formatGainDb(3.2)).toBe('+3.2 dB')
    expect(formatGainDb(-6)).toBe('−6.0 dB')
    expect(formatGainDb(0)).toBe('0.0 dB')
  })
})

describe('lanes of a graph', () => {
  it('are the default graph’s three Audio Outputs, named as --listen names them', () => {
    const lanes = deriveLanes(defaultGraph(), registry)
    expect(lanes.map((l) => l.key)).toEqual([
      'outListen:audio',
      'outStereo:audio',
      'outChirp:audio',
    ])
    expect(lanes.map((l) => l.name)).toEqual([
      'picture_heard',
      'painting_stereo',
      'painting_chirps',
    ])
    // Each shows the reading it plays beside its name.
    expect(lanes.map((l) => l.reading)).toEqual([
      'The picture, heard',
      'Red left, green right',
      'Chirps',
    ])
    expect(lanes.every((l) => !l.pinned && l.pastEnd === 'loop')).toBe(true)
  })

  it('use an Audio Output’s own label first', () => {
    const doc = defaultGraph()
    doc.nodes = doc.nodes.map((n) => (n.id === 'outChirp' ? { ...n, label: 'My chirps' } : n))
    expect(deriveLanes(doc, registry).at(-1)?.name).toBe('My chirps')
  })

  it('pin any audio port, reorder, remove and bring back', () => {
    const doc = defaultGraph()
    const lanes = () => deriveLanes(doc, registry)
    doc.room = addLane(roomOf(doc), lanes(), { node: 'glRed', port: 'audio' })
    expect(lanes().map((l) => l.key)).toEqual([
      'outListen:audio',
      'outStereo:audio',
      'outChirp:audio',
      'glRed:audio',
    ])
    expect(lanes()[3]).toMatchObject({ name: 'Red → sound', pinned: true })
    doc.room = moveLane(doc.room, lanes(), 'glRed:audio', 0)
    expect(lanes()[0].key).toBe('glRed:audio')
    doc.room = removeLane(doc.room, lanes(), 'outStereo:audio')
    expect(lanes().map((l) => l.key)).toEqual(['glRed:audio', 'outListen:audio', 'outChirp:audio'])
    expect(doc.room.removed).toEqual(['outStereo:audio'])
    doc.room = removeLane(doc.room, lanes(), 'glRed:audio')
    expect(doc.room.removed).toEqual(['outStereo:audio']) // a pinned lane simply goes
    doc.room = addLane(doc.room, lanes(), { node: 'outStereo', port: 'audio' })
    expect(lanes().map((l) => l.key)).toEqual([
      'outListen:audio',
      'outChirp:audio',
      'outStereo:audio',
    ])
    doc.room = setPastEnd(doc.room, lanes(), 'outChirp:audio', 'silence')
    expect(lanes()[1].pastEnd).toBe('silence')
  })

  it('skip lanes whose node is gone or has no such audio port, and add new outputs', () => {
    const doc = defaultGraph()
    doc.room = {
      ...roomOf(doc),
      lanes: [
        { node: 'gone', port: 'audio' },
        { node: 'picture', port: 'image' },
        { node: 'outChirp', port: 'audio' },
      ],
    }
    expect(deriveLanes(doc, registry).map((l) => l.key)).toEqual([
      'outChirp:audio',
      'outListen:audio',
      'outStereo:audio',
    ])
  })

  it('find the picture each reading came from', () => {
    const doc = defaultGraph()
    expect(sourcePictureOf(doc, registry, 'outListen')).toEqual({ node: 'picture', port: 'image' })
    expect(sourcePictureOf(doc, registry, 'outStereo')).toEqual({ node: 'split', port: 'red' })
    expect(sourcePictureOf(doc, registry, 'outChirp')).toEqual({ node: 'sd', port: 'image' })
    expect(sourcePictureOf(doc, registry, 'load')).toBeUndefined()
  })
})

describe('switching and drawing helpers', () => {
  it('crossfade at equal power: the two gains’ squares sum to one throughout', () => {
    const fadeIn = equalPowerCurve(0, 1)
    const fadeOut = equalPowerCurve(1, 0)
    expect(fadeIn[0]).toBe(0)
    expect(fadeIn.at(-1)).toBeCloseTo(1, 6)
    for (let i = 0; i < fadeIn.length; i++)
      expect(fadeIn[i] ** 2 + fadeOut[i] ** 2).toBeCloseTo(1, 6)
    // From an interrupted fade it starts where the gain is, with no jump.
    expect(equalPowerCurve(0.4, 1)[0]).toBeCloseTo(0.4, 6)
  })

  it('draw a shorter lane’s repeats when it loops, nothing past its end when it stops', () => {
    const view = { startSec: 0, endSec: 30 }
    const loops = laneSegments(6, view, 'loop')
    expect(loops).toHaveLength(5)
    expect(loops[1]).toEqual({ at: 6, from: 0, to: 6, repeat: true })
    expect(laneSegments(6, view, 'silence')).toEqual([{ at: 0, from: 0, to: 6, repeat: false }])
    expect(laneSegments(6, { startSec: 10, endSec: 14 }, 'loop')).toEqual([
      { at: 10, from: 4, to: 6, repeat: true },
      { at: 12, from: 0, to: 2, repeat: true },
    ])
  })

  it('zoom around the pointer and pan, never past the ruler', () => {
    const all = { startSec: 0, endSec: 30 }
    // Zoomed in 2× at the middle of a quarter: that time stays under the pointer.
    const z = zoomView(all, 30, 0.5, 0.25)
    expect(z).toEqual({ startSec: 3.75, endSec: 18.75 })
    expect(zoomView(all, 30, 2, 0.5)).toBeUndefined() // out past all of it: the whole ruler
    expect(zoomView({ startSec: 1, endSec: 1.06 }, 30, 0.1, 0.5)?.endSec).toBeCloseTo(1.055, 6)
    expect(panView({ startSec: 20, endSec: 28 }, 30, 5)).toEqual({ startSec: 22, endSec: 30 })
    expect(panView(all, 30, 5)).toBeUndefined()
  })
})
