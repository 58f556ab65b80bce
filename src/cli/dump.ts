import { mkdir, writeFile } from 'node:fs/promises'
import type { NodeResult } from '../engine/executor'
import { writeNpyFloat32 } from '../media/npy'
import { safeFileStem } from '../media/output-files'
import { valueToArray } from '../media/value-array'
import { pathInside, UniqueNames } from './safe-paths'

export interface ManifestEntry {
  node: string
  type: string
  port: string
  kind: string
  file: string
  shape: number[]
  sampleRate?: number
}

/**
 * Writes every output port of every node that produced values as float32 `NODE.PORT.npy`
 * and a `manifest.json` describing them, for inspection with numpy. Node ids come from the
 * document, so each file name is made safe and kept inside `dir`; ids that reduce to one
 * name get numbered ("a_b.audio-2.npy"), and the manifest says which file is which.
 */
export async function dumpResults(
  dir: string,
  results: Iterable<NodeResult>,
): Promise<ManifestEntry[]> {
  await mkdir(dir, { recursive: true })
  const manifest: ManifestEntry[] = []
  const names = new UniqueNames()
  names.claim('manifest', 'json')
  for (const result of results) {
    for (const [port, value] of Object.entries(result.outputs ?? {})) {
      const array = valueToArray(value)
      if (!array) continue
      const file = names.claim(safeFileStem(`${result.node}.${port}`, 'npy', 'node'), 'npy')
      await writeFile(pathInside(dir, file), writeNpyFloat32(array.data, array.shape))
      const sampleRate = 'sampleRate' in value ? value.sampleRate : undefined
      manifest.push({
        node: result.node,
        type: result.type,
        port,
        kind: value.kind,
        file,
        shape: array.shape,
        sampleRate,
      })
    }
  }
  await writeFile(pathInside(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return manifest
}
