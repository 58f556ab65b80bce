import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import type { NodeRegistry } from '../../src/engine/registry'
import type { AudioValue } from '../../src/engine/values'
import { downloadsFor } from '../../src/editor/preview/downloads'
import { loaderFor } from '../../src/editor/controls/file-actions'
import { deriveLanes } from '../../src/editor/room/lanes'
import { HEAD_BYTES } from '../../src/media/file-gate'
import { registry as shipped } from '../../nodes'
import { decodeWav } from '../../src/media/wav'
import { capture, tempGraph } from '../helpers/cli-run'
import { fixturePath } from '../helpers/fixtures'

/**
 * "Adding a node kind is one file in nodes/ and its line in nodes/index.ts", for output and
 * loader nodes too: a copy of nodes/ gets a new output kind (a text file of each channel's peak)
 * and a new loader (MIDI files); the CLI writes the output's file, the editor offers it as a
 * download, and a dropped MIDI file makes the loader, without any other file knowing the kinds.
 */

const root = resolve(import.meta.dirname, '../..')
const input = fixturePath('notebook/sweep_log_mono_44100/input.wav')

/** The new kind, as someone would write it: nothing about it outside this file. */
const PEAKS_NODE = `import { defineNode } from '../src/engine/define-node'
import { text } from '../src/engine/params'
import { safeFileStem } from '../src/media/output-files'

export const peaksOutput = defineNode({
  type: 'test/peaks-output',
  version: 1,
  title: 'Peaks Output',
  category: 'Outputs',
  description: 'Exports the peak of each channel as a line of text.',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio' },
  params: { name: text('peaks', { label: 'File name' }) },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ audio }) => ({ audio }),
  export: ({ audio }, { name }) => [
    {
      fileName: safeFileStem(name, 'txt') + '.txt',
      type: 'text/plain',
      label: 'Peaks',
      bytes: () => {
        const peaks = audio.channels.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0))
        return new TextEncoder().encode(audio.sampleRate + ' Hz\\n' + peaks.join('\\n') + '\\n')
      },
    },
  ],
  exportNames: ({ name }) => [safeFileStem(name, 'txt') + '.txt'],
})
`

/** A new loader: it reads MIDI files (by their first bytes) and gives their number of tracks. */
const MIDI_NODE = `import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { file } from '../src/engine/params'

const isMidi = (bytes: Uint8Array) => String.fromCharCode(...bytes.subarray(0, 4)) === 'MThd'

export const loadMidi = defineNode({
  type: 'test/load-midi',
  version: 1,
  title: 'Load MIDI',
  category: 'Sources',
  description: 'Reads a MIDI file and gives its number of tracks.',
  inputs: {},
  outputs: { tracks: 'number' },
  params: { file: file('audio', { default: '', label: 'File' }) },
  runtime: 'cpu',
  cancellation: 'none',
  accepts: isMidi,
  run: (_inputs, { file }) => {
    if (!file || !isMidi(file.bytes)) throw new UserError('Not a MIDI file.')
    return { tracks: (file.bytes[10] << 8) | file.bytes[11] }
  },
})
`

let copy: string
let registry: NodeRegistry

beforeAll(async () => {
  // Inside the repository, so the copy's `../src/...` imports resolve as nodes/'s do.
  copy = mkdtempSync(join(root, '.nodes-copy-'))
  cpSync(join(root, 'nodes'), copy, { recursive: true })
  writeFileSync(join(copy, 'peaks-output.ts'), PEAKS_NODE)
  writeFileSync(join(copy, 'load-midi.ts'), MIDI_NODE)
  const index = readFileSync(join(copy, 'index.ts'), 'utf8')
  // Each kind: its import, and its entry in the list.
  const added = index
    .replace(
      /^/,
      "import { peaksOutput } from './peaks-output'\nimport { loadMidi } from './load-midi'\n",
    )
    .replace(/\n\]\n/, '\n  peaksOutput,\n  loadMidi,\n]\n')
  expect(added).toContain('  peaksOutput,\n  loadMidi,\n]')
  writeFileSync(join(copy, 'index.ts'), added)
  ;({ registry } = (await import(pathToFileURL(join(copy, 'index.ts')).href)) as {
    registry: NodeRegistry
  })
})

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true })
})

afterEach(() => vi.unstubAllEnvs())

/** The sound as Load Audio gives it to the output node. */
async function loadAudio(path: string): Promise<AudioValue> {
  const file = { ref: `file:${path}`, name: 'input.wav', bytes: new Uint8Array(readFileSync(path)) }
  const def = registry.get('audio/load')!
  const params = { file, mixdown: false, sampleRateHz: 0, maxDurationSec: 600 }
  const ctx = { signal: new AbortController().signal, progress: () => {}, random: Math.random }
  const { audio } = (await def.run({}, params, ctx)) as { audio: AudioValue }
  return audio
}

function peaksGraph(names: string[]): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: [
      {
        id: 'load',
        type: 'audio/load',
        params: { file: `file:${input}` },
        position: { x: 0, y: 0 },
        mode: 'normal',
      },
      ...names.map((name, i) => ({
        id: `peaks${i}`,
        type: 'test/peaks-output',
        params: { name },
        position: { x: 400, y: i * 200 },
        mode: 'normal' as const,
      })),
    ],
    edges: names.map((_, i) => ({
      from: { node: 'load', port: 'audio' },
      to: { node: `peaks${i}`, port: 'audio' },
    })),
  }
}

describe('an output node kind added in one file', () => {
  it('is written by the CLI, through its own export', async () => {
    // The CLI's worker threads load nodes/ itself, which this copy's new kind is not in.
    vi.stubEnv('SYNESTHETE_THREADS', '0')
    const { dir, file } = tempGraph(peaksGraph(['levels']))
    const run = capture()
    expect(await render([file, '--out', dir, '--no-cache'], run.io, registry)).toBe(0)
    expect(run.out).toContain(`wrote ${join(dir, 'levels.txt')}`)
    const wav = decodeWav(new Uint8Array(readFileSync(input)))
    const peak = wav.channels[0].reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    expect(peak).toBeGreaterThan(0.1)
    expect(readFileSync(join(dir, 'levels.txt'), 'utf8')).toBe(`${wav.sampleRate} Hz\n${peak}\n`)
  })

  it('is a lane of the listening room, as every output node with sound is', async () => {
    vi.stubEnv('SYNESTHETE_THREADS', '0')
    const { dir, file } = tempGraph(peaksGraph(['levels']))
    const listen = join(dir, 'room')
    const args = [file, '--out', dir, '--listen', listen, '--no-cache', '--quiet']
    expect(await render(args, capture().io, registry)).toBe(0)
    const manifest = JSON.parse(readFileSync(join(listen, 'listen.json'), 'utf8')) as {
      lanes: { node: string; label: string; file: string }[]
    }
    expect(manifest.lanes.map((l) => [l.node, l.label])).toEqual([['peaks0', 'levels']])
    const matched = decodeWav(new Uint8Array(readFileSync(join(listen, manifest.lanes[0].file))))
    expect(matched.sampleRate).toBe(decodeWav(new Uint8Array(readFileSync(input))).sampleRate)
    // The editor's room lists it too, by default, not as a pin.
    const lanes = deriveLanes(peaksGraph(['levels']), registry)
    expect(lanes.map((l) => [l.node, l.name, l.pinned])).toEqual([['peaks0', 'levels', false]])
  })

  it('is offered as a download by the editor, with the bytes the CLI writes', async () => {
    vi.stubEnv('SYNESTHETE_THREADS', '0')
    const graph = peaksGraph(['levels'])
    const { dir, file } = tempGraph(graph)
    expect(await render([file, '--out', dir, '--no-cache'], capture().io, registry)).toBe(0)
    const loaded = await loadAudio(input)
    const outputs = { audio: loaded }
    const offered = downloadsFor(outputs, 'audio', graph.nodes[1], graph, registry)
    const peaks = offered.find((d) => d.fileName === 'levels.txt')
    expect(peaks).toMatchObject({ label: 'Peaks', mime: 'text/plain' })
    expect(new Uint8Array(await peaks!.make())).toEqual(
      new Uint8Array(readFileSync(join(dir, 'levels.txt'))),
    )
    // The node's own file replaces the WAV any sound could be saved as; NPY stays.
    expect(offered.map((d) => d.label)).toEqual(['Peaks', 'NPY'])
  })

  it('has its names checked before the run like every output', async () => {
    vi.stubEnv('SYNESTHETE_THREADS', '0')
    const { dir, file } = tempGraph(peaksGraph(['same', 'same']))
    const run = capture()
    expect(await render([file, '--out', dir, '--no-cache'], run.io, registry)).toBe(2)
    expect(run.err.join('\n')).toContain(
      `output node "peaks0" and output node "peaks1" would both write ${join(dir, 'same.txt')}`,
    )
  })
})

describe('a loader node kind added in one file', () => {
  /** A MIDI file's header chunk: format 1, three tracks, 96 ticks a quarter note. */
  const midi = Uint8Array.of(...new TextEncoder().encode('MThd'), 0, 0, 0, 6, 0, 1, 0, 3, 0, 96)

  it('is the node a dropped file of its kind makes, with its file param', () => {
    expect(loaderFor(shipped, midi)).toBeUndefined()
    const found = loaderFor(registry, midi)
    expect([found?.def.type, found?.param]).toEqual(['test/load-midi', 'file'])
    // Every other kind still goes where it went.
    const wav = new Uint8Array(readFileSync(input)).subarray(0, HEAD_BYTES)
    expect(loaderFor(registry, wav)?.def.type).toBe('audio/load')
  })
})
