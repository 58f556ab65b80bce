/** One line telling a newcomer what to do; an invitation when the graph is empty. */
export function HintLine({ empty }: { empty: boolean }) {
  if (empty) {
    return (
      <div className="empty-state">
        <h2>Start a graph</h2>
        <p>
          Double-click the canvas to add a node, drag one in from the library on the left, or drop a
          sound file here.
        </p>
        <p>Or open one of the example graphs at the bottom of the library.</p>
      </div>
    )
  }
  return (
    <div className="hint-line">
      Double-click to add a node · drag from a socket to connect · drop a sound file to load it ·
      Space plays the selected node
    </div>
  )
}
