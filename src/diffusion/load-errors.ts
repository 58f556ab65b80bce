import { isCancelled, UserError } from '../engine/errors'
import { HttpError, isMissingFile, type ModelSource } from './source'

/**
 * Turns what goes wrong while reading a model's files (lost connection, CORS, server errors,
 * full browser storage, a folder the browser may no longer read) into a `UserError` that
 * names the file and says what to do. Missing files pass through unchanged: the loader knows
 * which files are optional and words that itself. Nothing is thrown away on failure: partial
 * downloads stay in storage and resume (browser/download.ts).
 */

const KEPT = 'What was already downloaded is kept: running again resumes from there.'

export function explainLoadError(error: unknown, path: string, label: string): unknown {
  if (error instanceof UserError || isMissingFile(error) || isCancelled(error)) return error
  const name = error instanceof Error ? error.name : ''
  const message = error instanceof Error ? error.message : String(error)
  if (name === 'QuotaExceededError' || /quota/i.test(message)) {
    return new UserError(
      `Browser storage is full: "${path}" of ${label} could not be saved`,
      `${KEPT} Free space by deleting models you no longer use in the model panel ` +
        '(the Model param’s “Choose…”), then run again.',
    )
  }
  if (error instanceof HttpError) return httpProblem(error, path, label)
  // fetch() rejects with a TypeError when the server cannot be reached or CORS forbids reading.
  if (error instanceof TypeError && /fetch|network|load failed/i.test(message)) {
    return new UserError(
      `Could not download "${path}" from ${label}: the server could not be reached, or it does not let this page read its files (CORS)`,
      `Check your connection and the address. Hugging Face “…/resolve/main/” URLs allow it; ` +
        `another server must send Access-Control-Allow-Origin. ${KEPT}`,
    )
  }
  if (/stopped at \d+ of \d+ bytes/.test(message)) {
    return new UserError(`The download of "${path}" from ${label} was cut off`, KEPT)
  }
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new UserError(
      `The browser does not allow reading "${path}" from ${label}`,
      'Open the model panel and allow access to the folder again (or pick it again).',
    )
  }
  if (name === 'NotReadableError') {
    return new UserError(
      `"${path}" in ${label} could not be read: it may have changed or moved on disk`,
      'Pick the folder again in the model panel.',
    )
  }
  return new UserError(`Could not read "${path}" from ${label}: ${message}`, `Try again. ${KEPT}`)
}

function httpProblem(error: HttpError, path: string, label: string): UserError {
  const what = `The server refused "${path}" of ${label} (HTTP ${error.status})`
  if (error.status === 401 || error.status === 403) {
    return new UserError(
      what,
      'The model may be private or need a login and a licence accepted: download its folder ' +
        'yourself and use “Use a folder…” in the model panel.',
    )
  }
  if (error.status === 429 || error.status >= 500) {
    return new UserError(what, `The server is busy or failing: try again later. ${KEPT}`)
  }
  return new UserError(what, 'Check the address: it should be the folder holding unet/.')
}

/** The source with its failures explained (see explainLoadError). */
export function explainingSource(source: ModelSource): ModelSource {
  return {
    ...source,
    read: (path, onProgress) =>
      source.read(path, onProgress).catch((error: unknown) => {
        throw explainLoadError(error, path, source.label)
      }),
  }
}
