import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { NodeResult } from '../engine/executor'
import { writeNpyFloat32 } from '../media/npy'
import { valueToArray } from '../media/value-array'

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
 * and a `manifest.json` describing them, for inspection with numpy.
 */
export async function dumpResults(
  dir: string,
  results: Iterable<NodeResult>,
): Promise<ManifestEntry[]> {
  await mkdir(dir, { recursive: true })
  const manifest: ManifestEntry[] = []
  for (const result of results) {
    for (const [port, value] of Object.entries(result.outputs ?? {})) {
      const array = valueToArray(value)
      if (!array) continue
      const file = `${result.node}.${port}.npy`
      await writeFile(join(dir, file), writeNpyFloat32(array.data, array.shape))
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
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return manifest
}
