/**
 * What this machine can do, for checking a node's up-front estimate (`estimate` on its
 * definition) before it runs: a graph that would need 40 GB, or 12 hours, is refused with the
 * figures instead of crashing the process or never ending.
 */

import type { RunEstimate } from './define-node'
import { UserError } from './errors'

export interface MachineCapacity {
  /** Memory a run may count on, in bytes. */
  memoryBytes: number
  /** Where that figure comes from, for messages ("this machine", "this browser says"). */
  memorySource: string
}

/** The browser's `navigator.deviceMemory` is missing in Firefox and Safari: assume 4 GB there. */
const BROWSER_DEFAULT_BYTES = 4 * 2 ** 30 // 4 GB

/**
 * The machine's memory: `os.totalmem()` headless (through `process.getBuiltinModule`, so this
 * file imports nothing of Node and still bundles for the browser), else the browser's rough
 * `navigator.deviceMemory` (GB, capped at 8 by the spec), else a conservative 4 GB.
 */
export function machineCapacity(): MachineCapacity {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const os = proc?.getBuiltinModule?.('node:os') as { totalmem(): number } | undefined
  if (os) return { memoryBytes: os.totalmem(), memorySource: 'this machine has' }
  const nav = (globalThis as { navigator?: { deviceMemory?: number } }).navigator
  if (nav?.deviceMemory)
    return { memoryBytes: nav.deviceMemory * 2 ** 30, memorySource: 'this browser reports' }
  return { memoryBytes: BROWSER_DEFAULT_BYTES, memorySource: 'a browser can count on about' }
}

/** Share of the machine's memory one node may plan to use: the rest is the OS, the app, the cache. */
export const MEMORY_SHARE = 0.75

/** The longest a single node may be expected to run before it is refused up front. */
export const MAX_RUN_SECONDS = 2 * 3600

/** The largest one typed array can be in V8 (the engine under Node and Chromium): 4 GiB. */
export const MAX_ARRAY_BYTES = 2 ** 32 - 1

/**
 * Nominal floating-point operations per second one core does in our DSP (SIMD FFTs): estimates of
 * work are counted in operations and turned into time with it. Deliberately round: an estimate
 * only has to tell a minute from a day.
 */
export const NOMINAL_FLOPS = 2e9

/**
 * Operations in one real FFT of size n: 2.5·n·log2 n, half the usual 5·n·log2 n count for a
 * complex radix-2 FFT (Cooley–Tukey). Used to turn "so many transforms" into seconds.
 */
export function realFftOps(n: number): number {
  return 2.5 * n * Math.log2(Math.max(2, n))
}

/** Seconds on one core for so many floating-point operations (at NOMINAL_FLOPS). */
export const secondsFor = (ops: number): number => ops / NOMINAL_FLOPS

const GB = 2 ** 30

/** "9.1 GB", "640 MB": memory as people read it (binary units, as RAM is sold and reported). */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(bytes >= 10 * GB ? 0 : 1)} GB`
  if (bytes >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} kB`
}

/** "about 40 min", "about 12 h": estimated times, deliberately rounded. */
export function formatEstimatedTime(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`
  return `about ${Math.round(seconds / 3600)} h`
}

/**
 * The error for a node whose estimate exceeds what the machine can do, or undefined when it fits.
 * `title` names the node in the message.
 */
export function estimateProblem(
  title: string,
  estimate: RunEstimate,
  capacity: MachineCapacity = machineCapacity(),
): UserError | undefined {
  const what = estimate.detail ? ` (${estimate.detail})` : ''
  const lower = 'Lower the sizes or counts named above, or split the work into parts.'
  if (estimate.largestArrayBytes !== undefined && estimate.largestArrayBytes > MAX_ARRAY_BYTES)
    return new UserError(
      `${title}: this would need one array of ${formatBytes(estimate.largestArrayBytes)}${what}; ` +
        `the most one array can hold is ${formatBytes(MAX_ARRAY_BYTES)}.`,
      lower,
    )
  const allowed = capacity.memoryBytes * MEMORY_SHARE
  if (estimate.bytes > allowed)
    return new UserError(
      `${title}: this needs about ${formatBytes(estimate.bytes)} of memory${what}; ` +
        `${capacity.memorySource} ${formatBytes(capacity.memoryBytes)}, and a node may use ` +
        `${Math.round(MEMORY_SHARE * 100)} % of it.`,
      lower,
    )
  if (estimate.seconds !== undefined && estimate.seconds > MAX_RUN_SECONDS)
    return new UserError(
      `${title}: this would take ${formatEstimatedTime(estimate.seconds)}${what}; ` +
        `the limit for one node is ${formatEstimatedTime(MAX_RUN_SECONDS).replace('about ', '')}.`,
      lower,
    )
  return undefined
}
