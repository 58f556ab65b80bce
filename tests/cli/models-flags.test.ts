import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunReport } from '../../src/engine/define-node'
import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { parseRenderArgs } from '../../src/cli/args'
import { applyCommandLine } from '../../src/cli/graph-edits'
import { render } from '../../src/cli/render'
import { graphOf } from '../helpers/test-nodes'

const TINY = fileURLToPath(new URL('../../models/tiny/', import.meta.url))

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

/** Every diffusion node kind, each with a step pattern that uses model B where it has one. */
const diffusionGraph = graphOf(
  [
    { id: 'picture', type: 'image/load' },
    { id: 'sd', type: 'ml/stable-diffusion', params: { pattern: 'A B', modelB: 'tiny' } },
    { id: 'long', type: 'ml/repaint-long', params: { pattern: 'A B', modelB: 'tiny' } },
    { id: 'audio', type: 'audio/load' },
    { id: 'frames', type: 'frames/spectrum' },
    { id: 'perFrame', type: 'ml/stable-diffusion-frames' },
  ],
  [
    'picture.image->sd.image',
    'picture.image->long.image',
    'audio.audio->frames.audio',
    'frames.spectra->perFrame.frames',
  ],
)

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'synesthete-models-'))
}

function edited(argv: string[]) {
  const args = parseRenderArgs(['graph.json', ...argv])
  return applyCommandLine(diffusionGraph, args, registry)
}

const param = (graph: ReturnType<typeof edited>, id: string, name: string) =>
  graph.nodes.find((n) => n.id === id)?.params[name]

describe('--model, --model-b and --set NODE.model', () => {
  it('--model reaches every diffusion node and --model-b every model B slot', () => {
    const graph = edited(['--model', '/models/a', '--model-b', '/models/b'])
    for (const id of ['sd', 'long', 'perFrame'])
      expect(param(graph, id, 'model')).toBe('folder:/models/a')
    expect(param(graph, 'sd', 'modelB')).toBe('folder:/models/b')
    expect(param(graph, 'long', 'modelB')).toBe('folder:/models/b')
    // Stable Diffusion per Frame has no model B slot: nothing is added to it.
    expect(param(graph, 'perFrame', 'modelB')).toBeUndefined()
  })

  it('--set NODE.model=DIR sets that node alone, from the folder the command ran in', () => {
    const graph = edited(['--set', 'long.model=some/folder'])
    expect(param(graph, 'long', 'model')).toBe(`folder:${join(process.cwd(), 'some/folder')}`)
    expect(param(graph, 'sd', 'model')).toBeUndefined() // the graph's default, untouched
    // Known model ids and the tiny model stay what they are.
    expect(param(edited(['--set', 'sd.model=sd-turbo']), 'sd', 'model')).toBe('sd-turbo')
  })

  it('a missing folder is refused before anything runs, naming every node and slot', async () => {
    const dir = tempDir()
    const file = join(dir, 'graph.json')
    writeFileSync(file, JSON.stringify(diffusionGraph))
    const nowhere = join(dir, 'nowhere')
    const { io, err } = capture()
    const code = await render(
      [file, '--model', nowhere, '--model-b', nowhere, '--out', join(dir, 'o'), '--no-cache'],
      io,
    )
    expect(code).toBe(2)
    const text = err.join('\n')
    for (const node of [
      'node "sd" (Stable Diffusion), model',
      'node "sd" (Stable Diffusion), model B',
      'node "long" (Repaint Long Picture), model',
      'node "long" (Repaint Long Picture), model B',
      'node "perFrame" (Stable Diffusion per Frame), model',
    ])
      expect(text).toContain(`${node} ${nowhere}: the folder does not exist.`)
    expect(text).not.toMatch(/perFrame.*model B/)
    rmSync(dir, { recursive: true })
  })

  it('a folder without a file the loader needs is refused, naming the node and the file', async () => {
    const dir = tempDir()
    const model = join(dir, 'model')
    cpSync(TINY, model, { recursive: true })
    rmSync(join(model, 'vae_encoder'), { recursive: true })
    const file = join(dir, 'graph.json')
    writeFileSync(file, JSON.stringify(diffusionGraph))
    const { io, err } = capture()
    expect(await render([file, '--set', `perFrame.model=${model}`, '--no-cache'], io)).toBe(2)
    expect(err.join('\n')).toContain(
      `node "perFrame" (Stable Diffusion per Frame), model ${model}: no vae_encoder/model.onnx in it.`,
    )
    rmSync(dir, { recursive: true })
  })
})

describe('the tiny-model warning', () => {
  const paint = graphOf(
    [
      { id: 'paint', type: 'ml/stable-diffusion', params: { steps: 1, width: 64, height: 64 } },
      { id: 'out', type: 'image/output', params: { name: 'painting' } },
    ],
    ['paint.image->out.image'],
  )

  async function run(extra: string[]) {
    const dir = tempDir()
    const file = join(dir, 'graph.json')
    writeFileSync(file, JSON.stringify(paint))
    const { io, err } = capture()
    const code = await render(
      [file, '--out', join(dir, 'o'), '--no-cache', '--quiet', ...extra],
      io,
    )
    return { code, err: err.join('\n'), dir }
  }

  it('says on stderr when a node paints with the tiny model, a copied folder of it included', async () => {
    const plain = await run([])
    expect(plain.code).toBe(0)
    expect(plain.err).toContain(
      'node "paint" (Stable Diffusion) paints with the tiny random test model',
    )
    const copy = await run(['--model', TINY])
    expect(copy.err).toMatch(/paints with the tiny random test model/)
  })

  it('is silent for a model that is not the tiny one', async () => {
    const dir = tempDir()
    const model = join(dir, 'model')
    cpSync(TINY, model, { recursive: true })
    const index = JSON.parse(readFileSync(join(model, 'model_index.json'), 'utf8')) as Record<
      string,
      unknown
    >
    delete index._synesthete_note
    writeFileSync(join(model, 'model_index.json'), JSON.stringify(index))
    const other = await run(['--model', model])
    expect(other.code).toBe(0)
    expect(other.err).not.toMatch(/tiny/)
  })
})

describe('--ort and the report', () => {
  it('names the provider of each diffusion node in --report: native by default, wasm with --ort web', async () => {
    const dir = tempDir()
    const file = join(dir, 'graph.json')
    const graph = graphOf(
      [
        { id: 'paint', type: 'ml/stable-diffusion', params: { steps: 1, width: 64, height: 64 } },
        { id: 'out', type: 'image/output', params: { name: 'painting' } },
      ],
      ['paint.image->out.image'],
    )
    writeFileSync(file, JSON.stringify(graph))
    const providers = async (extra: string[]) => {
      const report = join(dir, `report-${extra.join('')}.json`)
      const args = [file, '--out', join(dir, 'o'), '--no-cache', '--quiet', '--report', report]
      expect(await render([...args, ...extra], capture().io)).toBe(0)
      const rows = (
        JSON.parse(readFileSync(report, 'utf8')) as {
          nodes: { node: string; provider?: string }[]
        }
      ).nodes
      return Object.fromEntries(rows.map((r) => [r.node, r.provider]))
    }
    expect(await providers([])).toEqual({ paint: 'cpu (onnxruntime-node)', out: undefined })
    expect(await providers(['--ort', 'node'])).toEqual({
      paint: 'cpu (onnxruntime-node)',
      out: undefined,
    })
    expect(await providers(['--ort', 'web'])).toEqual({ paint: 'wasm', out: undefined })
    rmSync(dir, { recursive: true })
  })

  it('keeps a cached diffusion node’s report: the provider, steps and tiny model still said', async () => {
    const dir = tempDir()
    const file = join(dir, 'graph.json')
    const graph = graphOf(
      [{ id: 'paint', type: 'ml/stable-diffusion', params: { steps: 1, width: 64, height: 64 } }],
      [],
    )
    writeFileSync(file, JSON.stringify(graph))
    const cache = join(dir, 'cache')
    const rowOf = async (name: string) => {
      const report = join(dir, name)
      const args = [file, '--cache', cache, '--out', join(dir, 'o'), '--quiet']
      expect(await render([...args, '--report', report], capture().io)).toBe(0)
      const rows = (
        JSON.parse(readFileSync(report, 'utf8')) as {
          nodes: { node: string; cached: boolean; provider?: string; report?: RunReport }[]
        }
      ).nodes
      return rows.find((r) => r.node === 'paint')
    }
    const first = await rowOf('first.json')
    expect(first).toMatchObject({ cached: false, provider: 'cpu (onnxruntime-node)' })
    expect(first?.report).toMatchObject({
      steps: 1,
      size: { width: 64, height: 64 },
      tinyModel: true,
    })
    const second = await rowOf('second.json')
    expect(second?.cached).toBe(true)
    expect(second?.provider).toBe('cpu (onnxruntime-node)')
    expect(second?.report).toEqual(first?.report)
    rmSync(dir, { recursive: true })
  })

  it('refuses an unknown --ort', async () => {
    const { io, err } = capture()
    expect(await render(['default', '--ort', 'gpu'], io)).toBe(2)
    expect(err.join('\n')).toMatch(/--ort takes "node" or "web", not "gpu"/)
  })
})
