import { basename, resolve } from 'node:path'
import { UserError } from '../engine/errors'
import { safeFileStem } from '../media/output-files'

/**
 * `dir/fileName`, refusing any name that is not one plain component of `dir`: a separator,
 * `..`, NUL or an absolute path in it would write somewhere the person did not choose.
 * Names made by `safeFileStem` always pass; this is the last check before the disk.
 */
export function pathInside(dir: string, fileName: string): string {
  const folder = resolve(dir)
  const path = resolve(folder, fileName)
  if (
    fileName.includes('\0') ||
    fileName === '.' ||
    fileName === '..' ||
    resolve(path, '..') !== folder ||
    basename(path) !== fileName
  ) {
    throw new UserError(
      `Refused to write "${fileName}": the name would put the file outside ${folder}.`,
      'Rename the node or output so its name is a plain file name.',
    )
  }
  return path
}

/**
 * Where a file named from a document (a node id, an output's name) goes in `dir`: the name is
 * reduced to a safe stem (see safeFileStem), given `extension`, and checked to stay in `dir`.
 */
export function safePathIn(
  dir: string,
  name: string,
  extension: string,
  fallback = 'output',
): string {
  return pathInside(dir, `${safeFileStem(name, extension, fallback)}.${extension}`)
}

/**
 * Gives each name once per folder: a second "x.npy" becomes "x-2.npy". Names are compared
 * case-folded, since macOS and Windows folders treat "Mix" and "mix" as one file.
 */
export class UniqueNames {
  private readonly taken = new Set<string>()

  claim(stem: string, extension: string): string {
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${stem}.${extension}` : `${stem}-${n}.${extension}`
      const key = name.normalize('NFC').toLowerCase()
      if (this.taken.has(key)) continue
      this.taken.add(key)
      return name
    }
  }
}
