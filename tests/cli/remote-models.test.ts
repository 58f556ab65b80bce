import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import { at, capture, tempGraph } from '../helpers/cli-run'

/** A model server on this machine serving models/tiny, recording every request. */
const tinyDir = new URL('../../models/tiny/', import.meta.url)
const requests: string[] = []
let server: Server
let base = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    try {
      const bytes = readFileSync(new URL(`.${req.url?.replace(/^\/m\//, '/') ?? ''}`, tinyDir))
      res.writeHead(200, { 'content-length': bytes.length }).end(bytes)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m/`
})

afterAll(() => new Promise<void>((done) => server.close(() => done())))

function paintGraph(model: string): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: [
      {
        id: 'paint',
        type: 'ml/stable-diffusion',
        params: { steps: 2, width: 64, height: 64, model },
        position: at(0),
        mode: 'normal',
      },
      { id: 'out', type: 'image/output', params: { name: 'p' }, position: at(1), mode: 'normal' },
    ],
    edges: [{ from: { node: 'paint', port: 'image' }, to: { node: 'out', port: 'image' } }],
  }
}

describe('npm run render with a graph whose model is on a server', () => {
  it('fetches nothing without --allow-remote-models, and says how to allow it', async () => {
    const { dir, file } = tempGraph(paintGraph(base))
    const run = capture()
    const code = await render([file, '--out', join(dir, 'o'), '--no-cache', '--quiet'], run.io)
    expect(code).toBe(1)
    expect(requests).toEqual([])
    const err = run.err.join('\n')
    expect(err).toContain(`This model is downloaded from 127.0.0.1:${new URL(base).port} (${base})`)
    expect(err).toMatch(/--allow-remote-models/)
    expect(existsSync(join(dir, 'o', 'p.png'))).toBe(false)
  })

  it('downloads it with --allow-remote-models', async () => {
    const { dir, file } = tempGraph(paintGraph(base))
    const args = [file, '--allow-remote-models', '--out', join(dir, 'o'), '--no-cache', '--quiet']
    expect(await render(args, capture().io)).toBe(0)
    expect(requests).toContain('/m/unet/model.onnx')
    expect(existsSync(join(dir, 'o', 'p.png'))).toBe(true)
  })
})
