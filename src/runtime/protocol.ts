import type { EncodedRef, NodeOutputs } from '../engine/codec'
import { CancelledError, isCancelled, UserError } from '../engine/errors'
import type { NodeWarning, RunReport } from '../engine/define-node'
import type { StoredParamValue } from '../engine/params'
import type { NodeJob } from '../engine/runner'
import { typedArraysOf, VALUE_KINDS, type ImageValue, type Value } from '../engine/values'

/**
 * The messages between the main thread and a node worker (CPU pool or GPU worker). Plain data
 * only: jobs and results go through structured clone, output arrays as transferables.
 */

export type ToWorker =
  | {
      type: 'init'
      /** A Web Lock the worker holds for its whole life, so the main side sees it die. */
      lock?: string
      /**
       * One Int32 shared with the main thread: the id of the job to cancel. A synchronous
       * node loop cannot receive messages, but it can read this on every signal check.
       */
      cancelFlag?: Int32Array
    }
  | {
      type: 'run'
      id: number
      job: NodeJob
      /** Inputs to read from their producer's cache Blob, not in `job` (see copy-in.ts). */
      encoded?: Record<string, EncodedRef>
    }
  | { type: 'cancel'; id: number }
  /** Load ahead what a node of this kind will need (NodeDefinition.prepare); no answer. */
  | { type: 'prepare'; nodeType: string; params: Record<string, StoredParamValue> }

/**
 * The error name a worker answers with when it could not read an input's Blob (it never
 * should): the page then sends that job again with copies of the arrays.
 */
export const ENCODED_INPUT_UNREADABLE = 'EncodedInputUnreadable'

export interface SerializedError {
  name: string
  message: string
  hint?: string
  stack?: string
}

export type FromWorker =
  | { type: 'ready' }
  /** The job reached the worker and its node begins (the executor's 'running'). */
  | { type: 'started'; id: number }
  | { type: 'progress'; id: number; fraction: number; message?: string }
  /** The node's `ctx.warn`: something to know about the result it is producing. */
  | { type: 'warning'; id: number; warning: NodeWarning }
  | {
      type: 'done'
      id: number
      outputs: NodeOutputs
      ms: number
      /** What the node said about its run (`ctx.report`). */
      report?: RunReport
      /** Outputs and report in the cache's binary form, made in the worker (see Computed). */
      encoded?: Blob
    }
  | { type: 'failed'; id: number; error: SerializedError }
  /** A picture in progress (a diffusion step), from a node whose context offers `preview`. */
  | { type: 'preview'; id: number; image: ImageValue }

/** Keeps what a thrown thing means across the thread boundary: UserError hints, cancellation. */
export function serializeError(error: unknown): SerializedError {
  if (isCancelled(error)) return { name: 'CancelledError', message: 'Cancelled' }
  if (error instanceof UserError) {
    return { name: error.name, message: error.message, hint: error.hint, stack: error.stack }
  }
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack }
  return { name: 'Error', message: String(error) }
}

/** The main side's twin of a worker's error: a UserError stays one, cancellation stays one. */
export function reviveError(error: SerializedError): Error {
  if (error.name === 'CancelledError') return new CancelledError()
  if (error.name === 'UserError') return new UserError(error.message, error.hint)
  const revived = new Error(error.message)
  revived.name = error.name
  if (error.stack) revived.stack = error.stack
  return revived
}

/**
 * The buffers to transfer with a node's outputs: each once (a buffer listed twice makes
 * postMessage throw), never a SharedArrayBuffer (those are shared, not moved).
 */
export function transferListOf(outputs: NodeOutputs): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  for (const value of Object.values(outputs) as unknown[]) {
    if (!isValue(value)) continue
    for (const array of typedArraysOf(value)) {
      if (array.buffer instanceof ArrayBuffer && array.buffer.byteLength > 0) {
        buffers.add(array.buffer)
      }
    }
  }
  return [...buffers]
}

const KINDS = new Set<string>(VALUE_KINDS)

function isValue(value: unknown): value is Value {
  return (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string)
  )
}
