import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GraphDocument } from '../../src/engine/document'

/** An Io for `render` that keeps what it printed. */
export function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

/** A fresh folder holding the graph as graph.json. */
export function tempGraph(
  graph: GraphDocument,
  prefix = 'synesthete-cli-',
): {
  dir: string
  file: string
} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const file = join(dir, 'graph.json')
  writeFileSync(file, JSON.stringify(graph))
  return { dir, file }
}

export const at = (x: number) => ({ x, y: 0 })
