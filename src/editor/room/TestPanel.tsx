import { useEffect, useRef } from 'react'
import { abxScore } from './abx'
import { letterOf } from './blind'
import type { RoomSession, RoomSnapshot } from './session'

/**
 * The blind test's ranking and reveal, or the ABX test's trials and score. It opens below the
 * lanes, past the bottom of a small window: a test that starts is scrolled into view.
 */
export function TestPanel({ session, snapshot }: { session: RoomSession; snapshot: RoomSnapshot }) {
  const ref = useRef<HTMLDivElement>(null)
  const kind = snapshot.abx ? 'abx' : snapshot.blind ? 'blind' : undefined
  useEffect(() => {
    if (kind) ref.current?.scrollIntoView({ block: 'nearest' })
  }, [kind])
  return (
    <div ref={ref}>
      {snapshot.abx ? (
        <AbxPanel session={session} snapshot={snapshot} />
      ) : snapshot.blind ? (
        <BlindPanel session={session} snapshot={snapshot} />
      ) : null}
    </div>
  )
}

function BlindPanel({ session, snapshot }: { session: RoomSession; snapshot: RoomSnapshot }) {
  const blind = snapshot.blind
  if (!blind) return null
  const nameOf = (key: string) => snapshot.lanes.find((l) => l.key === key)?.name ?? key
  const count = blind.order.length
  return (
    <section className="room-test" data-testid="blind-panel" aria-label="Blind test">
      <h3>Blind test</h3>
      {!blind.revealed ? (
        <>
          <p className="muted">
            The lanes are shuffled behind letters. Listen (1–{Math.min(9, count)} switch), rank them
            from best to worst, then reveal.
          </p>
          <ol className="blind-ranks">
            {blind.order.map((key) => {
              const rank = blind.ranking.indexOf(key) + 1
              return (
                <li key={key}>
                  <span className="blind-letter">{letterOf(blind, key)}</span>
                  <label>
                    rank{' '}
                    <select
                      value={rank || ''}
                      onChange={(e) => session.rank(key, Number(e.target.value))}
                      data-testid="blind-rank"
                      aria-label={`Rank of lane ${letterOf(blind, key)}`}
                    >
                      <option value="" disabled>
                        –
                      </option>
                      {blind.order.map((_, i) => (
                        <option key={i} value={i + 1}>
                          {i + 1}
                        </option>
                      ))}
                    </select>
                  </label>
                </li>
              )
            })}
          </ol>
          <button
            type="button"
            className="primary"
            onClick={() => session.reveal()}
            data-testid="blind-reveal"
          >
            Reveal the names
          </button>
        </>
      ) : (
        <ol className="blind-result" data-testid="blind-result">
          {blind.ranking.map((key) => (
            <li key={key}>
              <span className="blind-letter">{letterOf(blind, key)}</span> {nameOf(key)}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

function AbxPanel({ session, snapshot }: { session: RoomSession; snapshot: RoomSnapshot }) {
  const abx = snapshot.abx
  if (!abx) return null
  const lanes = snapshot.lanes
  const score = abxScore(abx)
  const choose = (which: 'a' | 'b', key: string) => {
    const a = which === 'a' ? key : abx.a
    const b = which === 'b' ? key : abx.b
    if (a !== b) session.startAbx(a, b)
  }
  const listen = (choice: 'A' | 'B' | 'X', label: string, n: number) => (
    <button
      type="button"
      className={`abx-listen${abx.listening === choice ? ' on' : ''}`}
      aria-pressed={abx.listening === choice}
      onClick={() => session.listenAbx(choice)}
      data-testid={`abx-${choice.toLowerCase()}`}
      title={`Hear ${label} (${n})`}
    >
      {choice}
    </button>
  )
  return (
    <section className="room-test" data-testid="abx-panel" aria-label="ABX test">
      <h3>ABX</h3>
      <div className="abx-pick">
        {(['a', 'b'] as const).map((which) => (
          <label key={which}>
            {which.toUpperCase()}{' '}
            <select
              value={which === 'a' ? abx.a : abx.b}
              onChange={(e) => choose(which, e.target.value)}
              data-testid={`abx-pick-${which}`}
            >
              {lanes.map((l) => (
                <option key={l.key} value={l.key}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <p className="muted">
        X is A or B at random. Listen to A, B and X (1, 2, 3) as often as you like, then say which X
        is.
      </p>
      <div className="abx-row">
        {listen('A', 'A', 1)}
        {listen('B', 'B', 2)}
        {listen('X', 'X', 3)}
        <span className="sep" />
        <button type="button" onClick={() => session.answerAbx('A')} data-testid="abx-answer-a">
          X is A
        </button>
        <button type="button" onClick={() => session.answerAbx('B')} data-testid="abx-answer-b">
          X is B
        </button>
      </div>
      <p className="abx-score" data-testid="abx-score">
        Trial {score.trials + 1} · {score.correct} of {score.trials} right · p ={' '}
        <span data-testid="abx-p">{score.trials ? formatP(score.pValue) : '–'}</span>
        {score.trials > 0 && (
          <span className="muted">
            {' '}
            ({score.pValue < 0.05 ? 'you hear a difference' : 'could be guessing'})
          </span>
        )}
      </p>
    </section>
  )
}

/** p-values as a statistician writes them: 3 significant digits, "< 0.0001" below that. */
export function formatP(p: number): string {
  if (p < 1e-4) return '< 0.0001'
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)
}
