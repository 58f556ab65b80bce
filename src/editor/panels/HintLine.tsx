import { useRemembered } from './remembered'

export const INTRO_KEY = 'synesthete.intro.read'

/**
 * The top of the canvas: on a first visit, a line saying what Synesthete is for (until it is
 * dismissed, remembered); then one line telling a newcomer what to do, or an invitation when
 * the graph is empty.
 */
export function HintLine({ empty }: { empty: boolean }) {
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
  return (
    <div className="canvas-top">
      {intro}
      <div className="hint-line">
        Double-click to add a node · drag from a socket to connect · drop a sound file to load it ·
        Space plays the selected node
      </div>
    </div>
  )
}
