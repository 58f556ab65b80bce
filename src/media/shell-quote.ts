/**
 * POSIX shell quoting for commands we print for people to paste. Anything a document or the
 * command line supplies (file names, folders) goes through here, so pasting never runs more
 * than the command shown.
 */

/** Words made only of these need no quotes in any POSIX shell (no globbing, no expansion). */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/

/**
 * One shell word that `sh` reads back as exactly `text`: plain words as they are, anything
 * else in single quotes, inside which nothing is special except the quote itself, written
 * `'\''` (close, escaped quote, reopen). POSIX sh, "Quoting", section 2.2.2.
 */
export function shellQuote(text: string): string {
  if (PLAIN.test(text)) return text
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/** A whole command line from its argv, each word quoted. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ')
}
