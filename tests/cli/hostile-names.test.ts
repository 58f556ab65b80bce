import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

const at = (x: number) => ({ x, y: 0 })

/** unzip, ffmpeg and ffprobe on PATH (CI installs ffmpeg; unzip is usual but not promised). */
const hasTools = ['unzip', 'ffmpeg', 'ffprobe'].every((tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})

/** A folder that holds a graph document; returns the folder and the graph's path. */
function tempGraph(graph: GraphDocument): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-hostile-'))
  const file = join(dir, 'graph.json')
  writeFileSync(file, JSON.stringify(graph))
  return { dir, file }
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

describe('--dump with node ids from a hostile document', () => {
  it('keeps every dump file inside the dump folder and names them in the manifest', async () => {
    const sneaky = '../../../../../../../../tmp/synesthete-pwned/PWNED'
    const graph: GraphDocument = {
      format: GRAPH_FORMAT,
      version: 2,
      nodes: [
        { id: sneaky, type: 'audio/load', params: {}, position: at(0), mode: 'normal' },
        { id: '/abs/olute', type: 'dsp/stft', params: {}, position: at(1), mode: 'normal' },
        { id: '..', type: 'dsp/stft', params: {}, position: at(2), mode: 'normal' },
        { id: '_abs_olute', type: 'dsp/stft', params: {}, position: at(3), mode: 'normal' },
      ],
      edges: ['/abs/olute', '..', '_abs_olute'].map((id) => ({
        from: { node: sneaky, port: 'audio' },
        to: { node: id, port: 'audio' },
      })),
    }
    const { dir, file } = tempGraph(graph)
    const dump = join(dir, 'a', 'b', 'dump')
    const args = [file, '--dump', dump, '--out', join(dir, 'out'), '--no-cache', '--quiet']
    expect(await render(args, capture().io)).toBe(0)
    expect(existsSync('/tmp/synesthete-pwned')).toBe(false)
    const escaped = '_.._.._.._.._.._.._.._tmp_synesthete-pwned_PWNED.audio.npy'
    expect(filesUnder(join(dir, 'a'))).toEqual(
      [
        `b/dump/${escaped}`,
        'b/dump/_abs_olute.spectrogram.npy',
        'b/dump/_abs_olute.spectrogram-2.npy', // two ids, one safe name: numbered, not lost
        'b/dump/spectrogram.npy', // "..": leading dots go, no hidden file
        'b/dump/manifest.json',
      ].sort(),
    )
    const manifest = JSON.parse(readFileSync(join(dump, 'manifest.json'), 'utf8')) as {
      node: string
      file: string
    }[]
    expect(Object.fromEntries(manifest.map((m) => [m.node, m.file]))).toEqual({
      [sneaky]: escaped,
      '/abs/olute': '_abs_olute.spectrogram.npy',
      '..': 'spectrogram.npy',
      _abs_olute: '_abs_olute.spectrogram-2.npy',
    })
  })
})

describe('the printed ffmpeg line with a hostile Video Output name', () => {
  const hostile = "v; touch PWNED; echo owned # $(touch PWNED2) `touch PWNED3` it's %d"
  const graph: GraphDocument = {
    format: GRAPH_FORMAT,
    version: 2,
    nodes: [
      { id: 'load', type: 'audio/load', params: {}, position: at(0), mode: 'normal' },
      {
        id: 'spectra',
        type: 'frames/spectrum',
        params: { fps: 2 },
        position: at(1),
        mode: 'normal',
      },
      {
        id: 'draw',
        type: 'frames/draw-spectrum',
        params: { width: 32, height: 32 },
        position: at(2),
        mode: 'normal',
      },
      {
        id: 'video',
        type: 'frames/output',
        params: { name: hostile },
        position: at(3),
        mode: 'normal',
      },
    ],
    edges: [
      { from: { node: 'load', port: 'audio' }, to: { node: 'spectra', port: 'audio' } },
      { from: { node: 'spectra', port: 'spectra' }, to: { node: 'draw', port: 'spectra' } },
      { from: { node: 'draw', port: 'frames' }, to: { node: 'video', port: 'frames' } },
      { from: { node: 'load', port: 'audio' }, to: { node: 'video', port: 'audio' } },
    ],
  }

  it('runs only unzip and ffmpeg, with the names as written, when pasted into sh', async () => {
    const { dir, file } = tempGraph(graph)
    // --out with spaces and a quote: the folder is quoted too.
    const out = join(dir, "it's out; touch PWNED4")
    const { io, out: printed } = capture()
    expect(await render([file, '--out', out, '--no-cache'], io)).toBe(0)
    const line = printed.find((l) => l.startsWith('video: '))?.slice('video: '.length)
    expect(line).toBeDefined()

    // Stand-ins for unzip and ffmpeg record the arguments they get, one per line.
    const bin = mkdtempSync(join(tmpdir(), 'synesthete-fake-bin-'))
    const log = join(bin, 'calls.log')
    for (const tool of ['unzip', 'ffmpeg']) {
      const script = join(bin, tool)
      writeFileSync(
        script,
        `#!/bin/sh\n{ echo "${tool} in $PWD"; printf '[%s]\\n' "$@"; } >> '${log}'\n`,
      )
      chmodSync(script, 0o755)
    }
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` }
    execFileSync('sh', ['-c', line!], { cwd: dir, env })

    const stem = "v; touch PWNED; echo owned # $(touch PWNED2) `touch PWNED3` it's %d"
    expect(readFileSync(log, 'utf8')).toBe(
      [
        `unzip in ${out}`,
        '[-o]',
        `[${stem}.zip]`,
        `ffmpeg in ${out}`,
        ...['-framerate', '2', '-i', `${stem.replace('%', '%%')}/%06d.png`, '-i', `${stem}.wav`],
        ...['-c:a', 'libopus', '-shortest', '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p'],
        `${stem}.webm`,
      ]
        .map((l) => (l.includes(' in /') ? l : l.startsWith('[') ? l : `[${l}]`))
        .join('\n') + '\n',
    )
    for (const where of [dir, out, process.cwd()])
      expect(readdirSync(where).filter((n) => n.startsWith('PWNED'))).toEqual([])
    expect(filesUnder(out)).toEqual([`${stem}.wav`, `${stem}.zip`])

    if (!hasTools) return
    // With the real tools the line makes the video, under the name as written.
    execFileSync('sh', ['-c', line!], { cwd: dir, stdio: 'ignore' })
    const probe = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', `${stem}.webm`],
      { cwd: out, encoding: 'utf8' },
    )
    expect(probe.trim().split('\n').sort()).toEqual(['opus', 'vp9'])
    for (const where of [dir, out, process.cwd()])
      expect(readdirSync(where).filter((n) => n.startsWith('PWNED'))).toEqual([])
  })
})
