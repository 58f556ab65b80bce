import { useRemembered } from './remembered'

export const INTRO_KEY = 'synesthete.intro.read'

/**
 * The top of the canvas: on a first visit, a line saying what Synesthete is for (until it is
 * dismissed, remembered); then one line telling a newcomer what to do, or an invitation when
 * the graph is empty. When the window is too small to show the whole graph at a readable size,
 * that line says how much is in view and offers the whole, until the view is moved.
 */
export function HintLine({
  empty,
  part,
  onShowAll,
}: {
  empty: boolean
  part?: { shown: number; total: number }
  onShowAll?: () => void
}) {
  const [read, setRead] = useRemembered(INTRO_KEY, false)
  const intro = !read && (
    <div className="intro-line" role="note" data-testid="intro-line">
      <span>
        <b>Synesthete turns sound into pictures and pictures back into sound.</b> Each box is one
        step; what it makes flows along the wires, left to right. Change a setting and what depends
        on it runs again.
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss the introduction"
        data-testid="intro-dismiss"
        onClick={() => setRead(true)}
      >
        ✕
      </button>
    </div>
  )
  if (empty) {
    return (
      <>
        <div className="canvas-top">{intro}</div>
        <div className="empty-state">
          <h2>Start a graph</h2>
          <p>
            Double-click the canvas to add a node, drag one in from the library on the left, or drop
            a sound file here.
          </p>
          <p>Or open one of the example graphs at the bottom of the library.</p>
        </div>
      </>
    )
  }
  const hint =
    'Double-click to add a node · drag from a socket to connect · drop a sound file to load it · ' +
    'Space plays the selected node'
  return (
    <div className="canvas-top">
      {intro}
      {part ? (
        <div className="hint-line hint-part" role="status" data-testid="part-view">
          <span className="hint-text">
            Zoomed to read: {part.shown} of {part.total} nodes in view · drag the canvas for the
            rest
          </span>
          <button
            type="button"
            className="link-button"
            data-testid="show-all"
            title="Show the whole graph, smaller (F)"
            onClick={onShowAll}
          >
            Show all (F)
          </button>
        </div>
      ) : (
        <div className="hint-line" title={hint}>
          <span className="hint-text">{hint}</span>
        </div>
      )}
    </div>
  )
}
