/**
 * An error meant for the person using the tool: `message` says what was wrong, `hint` what
 * to do about it. Nodes and DSP throw these for bad input; the editor and CLI show both.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message)
  }
}

/** Thrown when a run is cancelled; never shown as a failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError'
  constructor() {
    super('Cancelled')
  }
}

export function isCancelled(error: unknown): boolean {
  return (
    error instanceof CancelledError ||
    (error instanceof DOMException && error.name === 'AbortError')
  )
}

/** The message and hint of any thrown thing, for display. */
export function describeError(error: unknown): { message: string; hint?: string } {
  if (error instanceof UserError) return { message: error.message, hint: error.hint }
  if (error instanceof Error) return { message: error.message }
  return { message: String(error) }
}
