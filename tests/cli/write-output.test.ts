import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeFileResolver } from '../../src/cli/files'
import { describeFsError, makeFolder } from '../../src/cli/fs-errors'
import { render } from '../../src/cli/render'
import { RunOutputs } from '../../src/cli/write-output'
import { UserError } from '../../src/engine/errors'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import { exportedBytes } from '../../src/media/output-files'
import { decodeWav } from '../../src/media/wav'
import { fixturePath } from '../helpers/fixtures'
import { at, capture, tempGraph } from '../helpers/cli-run'

const input = fixturePath('notebook/sweep_log_mono_44100/input.wav')

function copyGraph(outputs: { id: string; name: string }[], file?: string): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: [
      {
        id: 'load',
        type: 'audio/load',
        params: file ? { file: `file:${file}` } : {},
        position: at(0),
        mode: 'normal',
      },
      ...outputs.map(({ id, name }) => ({
        id,
        type: 'audio/output',
        params: { name, format: 'pcm16' },
        position: at(1),
        mode: 'normal' as const,
      })),
    ],
    edges: outputs.map(({ id }) => ({
      from: { node: 'load', port: 'audio' },
      to: { node: id, port: 'audio' },
    })),
  }
}

describe('outputs never replace an input of the run', () => {
  it('refuses an output named like its input in the input’s folder, naming both, before running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-onto-input-'))
    const mine = join(dir, 'take.wav')
    copyFileSync(input, mine)
    const before = readFileSync(mine)
    const { file } = tempGraph(copyGraph([{ id: 'out', name: 'take' }], mine))
    const run = capture()
    expect(await render([file, '--out', dir, '--no-cache'], run.io)).toBe(2)
    expect(run.err.join('\n')).toBe(
      `output node "out" would write ${mine}, which is the input file of node "load" (${mine}); refused, so it stays as it is.\n  Give the output another name or another --out folder.`,
    )
    expect(readFileSync(mine).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(['take.wav'])
  })

  it('knows the input under another name: a hard link, a symbolic link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-onto-input-'))
    const mine = join(dir, 'take.wav')
    copyFileSync(input, mine)
    mkdirSync(join(dir, 'out'))
    linkSync(mine, join(dir, 'out', 'hard.wav'))
    symlinkSync(mine, join(dir, 'out', 'soft.wav'))
    const graph = tempGraph(copyGraph([{ id: 'a', name: 'hard' }], mine)).file
    const run = capture()
    expect(await render([graph, '--out', join(dir, 'out'), '--no-cache'], run.io)).toBe(2)
    expect(run.err.join('\n')).toMatch(/out\/hard\.wav, which is the input file of node "load"/)
    const soft = tempGraph(copyGraph([{ id: 'a', name: 'soft' }], mine)).file
    const again = capture()
    expect(await render([soft, '--out', join(dir, 'out'), '--no-cache'], again.io)).toBe(2)
    expect(again.err.join('\n')).toMatch(/out\/soft\.wav, which is the input file/)
  })
})

describe('two outputs with one name', () => {
  it('are refused before the run, whatever the case of their names, and nothing is written', async () => {
    const { dir, file } = tempGraph(
      copyGraph([
        { id: 'first', name: 'mix' },
        { id: 'second', name: 'Mix.wav' },
      ]),
    )
    const run = capture()
    expect(await render([file, '--out', join(dir, 'o'), '--no-cache'], run.io)).toBe(2)
    expect(run.err.join('\n')).toMatch(
      /output node "first" and output node "second" would both write .*\/o\/Mix\.wav; outputs are never overwritten within a run, so this is refused\.\n {2}Give one of them another name/,
    )
    expect(existsSync(join(dir, 'o'))).toBe(false)
  })
})

describe('writing an output', () => {
  it('replaces the old file whole, leaving no temporary file', async () => {
    const { dir, file } = tempGraph(copyGraph([{ id: 'out', name: 'copy' }]))
    const out = join(dir, 'o')
    mkdirSync(out)
    writeFileSync(join(out, 'copy.wav'), 'an older take')
    expect(await render([file, '--out', out, '--no-cache', '--quiet'], capture().io)).toBe(0)
    expect(readdirSync(out)).toEqual(['copy.wav'])
    expect(decodeWav(readFileSync(join(out, 'copy.wav'))).sampleRate).toBe(44100)
  })

  it('writes a file that comes in parts one part after another, and an export joins them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-parts-'))
    const seen: number[] = []
    async function* parts() {
      for (let i = 0; i < 5; i++) {
        await Promise.resolve() // each part made after the one before was taken
        seen.push(i)
        yield Uint8Array.from({ length: 1000 }, (_, j) => (i * 1000 + j) % 251)
      }
    }
    const path = await new RunOutputs([]).write(dir, 'long.bin', parts(), 'output node "out"')
    expect(seen).toEqual([0, 1, 2, 3, 4])
    const expected = Uint8Array.from({ length: 5000 }, (_, j) => j % 251)
    expect(new Uint8Array(readFileSync(path))).toEqual(expected)
    expect(readdirSync(dir)).toEqual(['long.bin'])
    const file = { fileName: 'long.bin', type: 'application/octet-stream', label: 'BIN' }
    expect(await exportedBytes({ ...file, bytes: parts })).toEqual(expected)
  })

  it('on a full disk says so in words and keeps the previous file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-full-'))
    writeFileSync(join(dir, 'take.wav'), 'the previous good take')
    // A disk that fills up half-way through the new file.
    const full = (path: string, bytes: Uint8Array | AsyncIterable<Uint8Array>) => {
      if (!(bytes instanceof Uint8Array)) throw new Error('expected the whole file')
      writeFileSync(path, bytes.subarray(0, bytes.length >> 1))
      const error = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException
      error.code = 'ENOSPC'
      return Promise.reject(error)
    }
    const outputs = new RunOutputs([], full)
    const refused = await outputs
      .write(dir, 'take.wav', new Uint8Array(1000), 'output node "out"')
      .then(
        () => undefined,
        (error: unknown) => error as UserError,
      )
    expect(refused).toBeInstanceOf(UserError)
    expect(refused?.message).toBe(
      `Could not write ${join(dir, 'take.wav')}: the disk is full (ENOSPC). The previous take.wav is unchanged.`,
    )
    expect(refused?.hint).toMatch(/Free some space/)
    expect(readFileSync(join(dir, 'take.wav'), 'utf8')).toBe('the previous good take')
    expect(readdirSync(dir)).toEqual(['take.wav'])
  })
})

describe('file-system errors in words', () => {
  it.skipIf(!existsSync('/proc/self'))(
    'refuses --out under /proc at once instead of hanging',
    async () => {
      await expect(makeFolder('/proc/synesthete-x/y')).rejects.toThrow(
        /Could not create the folder \/proc\/synesthete-x: this file system does not take new folders\./,
      )
      const { file } = tempGraph(copyGraph([{ id: 'out', name: 'copy' }]))
      const run = capture()
      expect(await render([file, '--out', '/proc/synesthete-x', '--no-cache'], run.io)).toBe(2)
      expect(run.err.join('\n')).toMatch(/does not take new folders/)
    },
  )

  it('says what a symbolic-link loop, a file in the path and a missing file mean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-fs-'))
    symlinkSync(join(dir, 'b.wav'), join(dir, 'a.wav'))
    symlinkSync(join(dir, 'a.wav'), join(dir, 'b.wav'))
    const { file } = tempGraph(copyGraph([{ id: 'out', name: 'copy' }]))
    const run = capture()
    const args = [
      file,
      '--input',
      `load=${join(dir, 'a.wav')}`,
      '--out',
      join(dir, 'o'),
      '--no-cache',
    ]
    expect(await render(args, run.io)).toBe(1)
    expect(run.err.join('\n')).toMatch(
      /Could not read .*a\.wav: its path runs through a loop of symbolic links \(ELOOP\)\.\n {2}Check the links/,
    )
    writeFileSync(join(dir, 'plain'), 'x')
    const inFile = capture()
    const out = [file, '--out', join(dir, 'plain', 'o'), '--no-cache']
    expect(await render(out, inFile.io)).toBe(2)
    expect(inFile.err.join('\n')).toMatch(/a part of its path is a file, not a folder \(ENOTDIR\)/)
    for (const code of ['EACCES', 'EISDIR', 'EROFS', 'EDQUOT', 'ENAMETOOLONG']) {
      const described = describeFsError({ code }, 'write', '/x')
      expect(described, code).toBeInstanceOf(UserError)
      expect((described as UserError).message).toMatch(
        new RegExp(`^Could not write /x: .+ \\(${code}\\)\\.$`),
      )
    }
  })
})

describe('input files', () => {
  it('are read and hashed once per run, however many nodes ask', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-once-'))
    const path = join(dir, 'in.wav')
    copyFileSync(input, path)
    const files = nodeFileResolver(dir)
    const first = await files('file:in.wav')
    writeFileSync(path, 'changed after the first read') // a second read would see this
    const again = await files('file:in.wav')
    expect(again.bytes).toBe(first.bytes)
    expect(first.sha256).toBe(createHash('sha256').update(readFileSync(input)).digest('hex'))
  })
})
