/**
 * ABX: X is A or B at random; the listener says which. Guessing gets each trial right with
 * probability ½, so after n trials with k right the evidence that they hear a difference is the
 * one-sided binomial p-value P(K ≥ k | n, ½) = Σ_{i=k}^{n} C(n, i) / 2ⁿ, computed exactly with
 * integers (and only then divided) so it is right for any n a person can sit through.
 */
export function abxPValue(trials: number, correct: number): number {
  if (!Number.isInteger(trials) || !Number.isInteger(correct) || trials < 0)
    throw new RangeError(
      `An ABX result needs whole counts (got ${trials} trials, ${correct} right)`,
    )
  if (correct <= 0) return 1
  if (correct > trials)
    throw new RangeError(`${correct} right out of ${trials} trials is impossible`)
  const n = BigInt(trials)
  let c = 1n // C(n, 0)
  let tail = 0n
  for (let i = 0n; i <= n; i++) {
    if (i >= BigInt(correct)) tail += c
    c = (c * (n - i)) / (i + 1n)
  }
  // tail / 2ⁿ without overflowing a double: keep the top 60 bits of the numerator.
  const shift = Math.max(0, tail.toString(2).length - 60)
  return Number(tail >> BigInt(shift)) * 2 ** (shift - trials)
}

export type AbxChoice = 'A' | 'B'

export interface AbxState {
  a: string
  b: string
  /** What X is in each trial, and the answer once given (the last one may be open). */
  trials: { x: AbxChoice; answer?: AbxChoice }[]
}

export function startAbx(a: string, b: string, random: () => number): AbxState {
  return { a, b, trials: [{ x: random() < 0.5 ? 'A' : 'B' }] }
}

/** The lane X stands for in the open trial. */
export function abxX(state: AbxState): string {
  const open = state.trials.at(-1)
  return open?.x === 'B' ? state.b : state.a
}

/** Records the answer to the open trial and opens the next. */
export function answerAbx(state: AbxState, answer: AbxChoice, random: () => number): AbxState {
  const trials = state.trials.slice(0, -1)
  const open = state.trials.at(-1)
  if (!open) return state
  return { ...state, trials: [...trials, { ...open, answer }, { x: random() < 0.5 ? 'A' : 'B' }] }
}

export interface AbxScore {
  trials: number
  correct: number
  pValue: number
}

export function abxScore(state: AbxState): AbxScore {
  const answered = state.trials.filter((t) => t.answer !== undefined)
  const correct = answered.filter((t) => t.answer === t.x).length
  return { trials: answered.length, correct, pValue: abxPValue(answered.length, correct) }
}
