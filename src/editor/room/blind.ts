/**
 * Blind listening: the lanes are shuffled behind letters, the listener ranks them by ear, then
 * the names are revealed beside the ranking.
 */
export interface BlindState {
  /** Lane keys in the shuffled order; the i-th is called LETTERS[i]. */
  order: string[]
  /** Lane keys, best first, as ranked so far (a lane not ranked yet is absent). */
  ranking: string[]
  revealed: boolean
}

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Fisher–Yates with the given random source, so a test can fix the shuffle. */
export function startBlind(keys: readonly string[], random: () => number): BlindState {
  const order = [...keys]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return { order, ranking: [], revealed: false }
}

export function letterOf(state: BlindState, key: string): string {
  const i = state.order.indexOf(key)
  return i < 0 ? '?' : (LETTERS[i] ?? `#${i + 1}`)
}

/** Puts a lane at rank `rank` (1 = best), moving the others down. */
export function rankLane(state: BlindState, key: string, rank: number): BlindState {
  if (state.revealed || !state.order.includes(key)) return state
  const ranking = state.ranking.filter((k) => k !== key)
  const at = Math.max(0, Math.min(ranking.length, Math.floor(rank) - 1))
  ranking.splice(at, 0, key)
  return { ...state, ranking }
}

/** 1-based rank of a lane, or undefined while it is not ranked. */
export function rankOf(state: BlindState, key: string): number | undefined {
  const i = state.ranking.indexOf(key)
  return i < 0 ? undefined : i + 1
}

/** Reveals the names; lanes left unranked are placed last, in letter order. */
export function revealBlind(state: BlindState): BlindState {
  const rest = state.order.filter((k) => !state.ranking.includes(k))
  return { ...state, ranking: [...state.ranking, ...rest], revealed: true }
}
