import { UserError } from '../engine/errors'

/**
 * A graph names its model, and a model may live on any server: opening a document or a share
 * link must never make the app contact that server by itself. Downloads of model files are
 * allowed per model address, by the person: in the browser by confirming a prompt or choosing
 * the model in the model panel (kept in IndexedDB, browser/model-permissions.ts); headless
 * only with `--allow-remote-models`. Everything that fetches model files asks here first.
 */

/** The host a model address downloads from, for prompts and messages. */
export function hostOf(base: string): string {
  try {
    return new URL(base).host
  } catch {
    return base
  }
}

/** Thrown before any request when the person has not allowed downloads of this model. */
export class RemoteModelNotAllowed extends UserError {
  constructor(
    readonly base: string,
    hint: string,
  ) {
    super(
      `This model is downloaded from ${hostOf(base)} (${base}); nothing is fetched from there until you allow it.`,
      hint,
    )
  }
}

/** Headless: whether `--allow-remote-models` was given. Off unless the person says so. */
let headlessAllowed = false

export function allowRemoteModelsHeadless(on: boolean): void {
  headlessAllowed = on
}

/** Headless check before a model file is fetched from `base`. */
export function requireHeadlessRemoteAllowed(base: string): void {
  if (headlessAllowed) return
  throw new RemoteModelNotAllowed(
    base,
    'Run again with --allow-remote-models to let it download, or download the model yourself and give its folder with --model DIR.',
  )
}
