import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { readNpy, type NpyArray } from '../../src/media/npy'

/** Absolute path of a file under tests/fixtures/. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url))
}

export function fixtureBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(relative)))
}

export function fixtureNpy(relative: string): NpyArray {
  return readNpy(fixtureBytes(relative))
}

export function fixtureJson<T>(relative: string): T {
  return JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as T
}
