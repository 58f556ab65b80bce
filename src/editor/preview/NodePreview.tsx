import type { AnyNodeDefinition } from '../../engine/define-node'
import { storedRef, type NodeRun } from '../run/run-store'
import type { EditorServices } from '../services'
import { OutputPreview } from './OutputPreview'

/**
 * The outputs of a node that feed something (its first when none does), with the others a click
 * away as their large views; or a word on why there is nothing to show yet.
 */
export function NodePreview(props: {
  id: string
  def: AnyNodeDefinition
  run: NodeRun
  services: EditorServices
  /** Its outputs that something is connected to. */
  used: readonly string[]
}) {
  const { id, def, run, services, used } = props
  const ports = Object.keys(def.outputs)
  if (ports.length === 0) return null
  const working = run.state === 'queued' || run.state === 'running'
  if (run.live && run.state === 'running') {
    // The picture so far (Stable Diffusion every N steps), until the finished one replaces it.
    return (
      <div className="node-preview live" data-testid="live-preview">
        <OutputPreview value={run.live} node={id} port={ports[0]} services={services} />
        <div className="live-tag">in progress{run.message ? ` · ${run.message}` : ''}</div>
      </div>
    )
  }
  const ready = ports.filter((port) => run.outputs?.[port] !== undefined)
  const wanted = ready.filter((port) => used.includes(port))
  const shown = wanted.length > 0 ? wanted : ready.slice(0, 1)
  const others = ready.filter((port) => !shown.includes(port))
  if (shown.length === 0) {
    const why = working
      ? 'Working…'
      : run.state === 'muted'
        ? 'Muted: gives nothing.'
        : run.state === 'error' || run.state === 'blocked'
          ? null
          : run.state === 'done' || run.state === 'cached'
            ? 'Loading the preview…' // the result exists; its value is still on its way here
            : 'Run the graph to see the result here.'
    return why ? <div className="preview-empty">{why}</div> : null
  }
  return (
    <div
      className={`node-preview${run.stale ? ' stale' : ''}`}
      data-testid="preview"
      data-stale={run.stale ? 'true' : 'false'}
    >
      {shown.map((port) => (
        <div key={port} className="preview-port">
          {shown.length > 1 && <div className="preview-port-name">{port}</div>}
          <OutputPreview
            value={run.outputs?.[port] as NonNullable<NodeRun['outputs']>[string]}
            node={id}
            port={port}
            services={services}
            stored={storedRef(run, port)}
          />
        </div>
      ))}
      {others.length > 0 && (
        <div className="preview-others">
          Also:
          {others.map((port) => (
            <button
              key={port}
              type="button"
              className="link-button"
              data-testid="preview-other"
              title={`Open a large view of ${port}`}
              onClick={() => services.ui.set({ preview: { node: id, port }, menu: undefined })}
            >
              {port}
            </button>
          ))}
        </div>
      )}
      {run.stale && (
        <div className="stale-tag" data-testid="stale-tag">
          {working ? 'outdated: updating…' : 'outdated: run to update'}
        </div>
      )}
    </div>
  )
}
