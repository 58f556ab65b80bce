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

// Unique names are made where the browser can use them too (the listening room's zip).
export { UniqueNames } from '../media/output-files'
