import { mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { UserError } from '../engine/errors'

/**
 * File-system failures in words: what went wrong with which path, and what to do, instead of
 * Node's bare "ELOOP: too many symbolic links encountered, open '…'".
 */
const WORDS: Record<string, { why: string; hint: string }> = {
  ENOSPC: {
    why: 'the disk is full',
    hint: 'Free some space or choose another folder, then run again.',
  },
  EDQUOT: { why: 'your disk quota is used up', hint: 'Free some space or choose another folder.' },
  EACCES: {
    why: 'permission is denied',
    hint: 'Check the permissions, or choose a folder you own.',
  },
  EPERM: { why: 'the operation is not permitted', hint: 'Choose a folder you own.' },
  EROFS: { why: 'the file system is read-only', hint: 'Choose a folder on a writable disk.' },
  ELOOP: {
    why: 'its path runs through a loop of symbolic links',
    hint: 'Check the links on the way with `ls -l`, or give the real path.',
  },
  EISDIR: { why: 'it is a folder, not a file', hint: 'Give the path of a file inside it.' },
  ENOTDIR: {
    why: 'a part of its path is a file, not a folder',
    hint: 'Check the path: a name on the way is a file.',
  },
  ENOENT: { why: 'it does not exist', hint: 'Check the path.' },
  ENAMETOOLONG: { why: 'its name is too long', hint: 'Use a shorter name or path.' },
  EMFILE: { why: 'too many files are open', hint: 'Close other programs, then run again.' },
  EIO: { why: 'the disk reported an input/output error', hint: 'The disk may be failing.' },
  EBUSY: { why: 'it is busy (in use by another program)', hint: 'Close what uses it, then retry.' },
  EEXIST: { why: 'something already exists there', hint: 'Choose another name.' },
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/**
 * `error` as a UserError saying what could not be done to `path`, or `error` itself when it
 * is not a file-system error we know.
 */
export function describeFsError(error: unknown, action: string, path: string): unknown {
  const code = errorCode(error)
  const words = code ? WORDS[code] : undefined
  if (!words) return error
  return new UserError(`Could not ${action} ${path}: ${words.why} (${code}).`, words.hint)
}

/**
 * Creates `dir` and any missing parents, one level at a time. Node's own recursive mkdir
 * spins forever under /proc (`--out /proc/x` hung); this stops at the first refusal and
 * says why.
 */
export async function makeFolder(dir: string): Promise<void> {
  const target = resolve(dir)
  const missing: string[] = []
  for (let at = target; ; at = dirname(at)) {
    const info = await stat(at).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined
      throw describeFsError(error, 'reach the folder', at)
    })
    if (info?.isDirectory()) break
    if (info) throw describeFsError({ code: 'ENOTDIR' }, 'create the folder', target)
    if (dirname(at) === at) break // the root itself is missing: mkdir says why below
    missing.unshift(at)
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: unknown) => {
      if (errorCode(error) === 'EEXIST') return // made meanwhile by another run
      // ENOENT with the parent present: this file system (/proc, /sys) takes no new folders.
      if (errorCode(error) === 'ENOENT')
        throw new UserError(
          `Could not create the folder ${folder}: this file system does not take new folders.`,
          'Choose an ordinary folder for the output.',
        )
      throw describeFsError(error, 'create the folder', folder)
    })
  }
}
