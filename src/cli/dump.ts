import type { NodeResult } from '../engine/executor'
import { writeNpyFloat32 } from '../media/npy'
import { safeFileStem } from '../media/output-files'
import { valueToArray } from '../media/value-array'
import { UniqueNames } from './safe-paths'
import type { RunOutputs } from './write-output'

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
  outputs: RunOutputs,
): Promise<ManifestEntry[]> {
  const manifest: ManifestEntry[] = []
  const names = new UniqueNames()
  names.claim('manifest', 'json')
  for (const result of results) {
    for (const [port, value] of Object.entries(result.outputs ?? {})) {
      const array = valueToArray(value)
      if (!array) continue
      const file = names.claim(safeFileStem(`${result.node}.${port}`, 'npy', 'node'), 'npy')
      await outputs.write(dir, file, writeNpyFloat32(array.data, array.shape), '--dump')
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
  const text = new TextEncoder().encode(JSON.stringify(manifest, null, 2))
  await outputs.write(dir, 'manifest.json', text, '--dump')
  return manifest
}
