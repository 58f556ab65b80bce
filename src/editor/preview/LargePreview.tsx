import { useMemo, useSyncExternalStore } from 'react'
import { findNode } from '../../engine/document'
import { downloadBlob } from '../actions'
import { useNodeRun } from '../nodes/hooks'
import { useDialog } from '../panels/dialog'
import type { EditorServices } from '../services'
import { downloadsFor } from './downloads'
import { formatNumber } from './format'
import { LargeFrames } from './FramesPreview'
import { LargeAudio } from './LargeAudio'
import { LargeImage } from './LargeImage'
import { LargeSpectrogram } from './LargeSpectrogram'
import { RasterCanvas } from './RasterCanvas'
import { latentTiles } from './thumbs'

/** The large view of one output: axes, zoom, and downloads. */
export function LargePreview({
  services,
  node,
  port,
}: {
  services: EditorServices
  node: string
  port: string
}) {
  const doc = useSyncExternalStore(services.store.subscribe, () => services.store.doc)
  const run = useNodeRun(services.runs, node)
  useSyncExternalStore(services.player.subscribe, services.player.getOwner)
  const graphNode = findNode(doc, node)
  const value = run.outputs?.[port]
  const def = graphNode && services.registry.get(graphNode.type)
  const outputs = run.outputs
  const downloads = useMemo(
    () =>
      outputs && graphNode
        ? downloadsFor(
            outputs,
            port,
            graphNode,
            doc,
            services.registry,
            services.runtime()?.files.resolve,
          )
        : [],
    [outputs, graphNode, port, doc, services],
  )
  const close = () => services.ui.set({ preview: undefined })
  const dialog = useDialog<HTMLDivElement>(close)
  if (!graphNode || !def) return null
  const title = `${graphNode.label ?? def.title} · ${port}`
  return (
    <div className="modal-backdrop" onClick={close} data-testid="large-preview">
      <div
        className="large-preview"
        role="dialog"
        aria-label={title}
        aria-modal
        ref={dialog.ref}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={dialog.onKeyDown}
      >
        <header>
          <h2>{title}</h2>
          {run.stale && <span className="stale-tag">outdated: run to update</span>}
          <span className="spacer" />
          {downloads.map((d) => (
            <button
              key={`${d.label} ${d.fileName}`}
              type="button"
              title={`Download ${d.fileName}`}
              onClick={() =>
                void Promise.resolve(d.make())
                  .then((bytes) => downloadBlob(bytes, d.mime, d.fileName))
                  .catch((error: unknown) =>
                    services.ui.notify(
                      `Could not export: ${error instanceof Error ? error.message : String(error)}`,
                      'error',
                    ),
                  )
              }
            >
              ⤓ {d.label}
            </button>
          ))}
          <button type="button" onClick={close} aria-label="Close" className="close-button">
            ✕
          </button>
        </header>
        {!value ? (
          <p className="preview-empty">Nothing to show yet: run the graph.</p>
        ) : value.kind === 'audio' ? (
          <LargeAudio audio={value} owner={`${node}:${port}`} player={services.player} />
        ) : value.kind === 'spectrogram' ? (
          <LargeSpectrogram value={value} />
        ) : value.kind === 'image' ? (
          <LargeImage value={value} />
        ) : value.kind === 'frames' ? (
          <LargeFrames value={value} owner={`${node}:${port}`} player={services.player} />
        ) : value.kind === 'latent' ? (
          <div className="large-tiles">
            {latentTiles(value, 256).map((tile, i) => (
              <figure key={i}>
                <RasterCanvas raster={tile} className="large-tile" />
                <figcaption>channel {i + 1}</figcaption>
              </figure>
            ))}
          </div>
        ) : (
          <pre className="large-value">
            {value.kind === 'number' ? formatNumber(value.value) : value.value}
          </pre>
        )}
      </div>
    </div>
  )
}
