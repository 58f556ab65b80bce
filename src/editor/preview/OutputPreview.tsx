import type { EncodedRef } from '../../engine/codec'
import type { Value } from '../../engine/values'
import type { EditorServices } from '../services'
import { AudioThumb } from './AudioThumb'
import { formatNumber, formatSeconds } from './format'
import { FramesThumb } from './FramesPreview'
import { RasterImage } from './PictureImage'
import { useThumbData } from './thumb-client'
import { IMAGE_THUMB_MAX_HEIGHT, SPECTROGRAM_THUMB_HEIGHT, THUMB_WIDTH } from './thumb-data'
import { fitSize } from './thumbs'

/**
 * A small picture (or value) of one output, drawn from downscaled data that is made once
 * per value, in a worker for large values (thumb-client.ts).
 */
export function OutputPreview(props: {
  value: Value
  node: string
  port: string
  services: EditorServices
  /** Where the value's bytes already sit encoded (its run's result): previews made off the page. */
  stored?: EncodedRef
}) {
  const { value, node, port, services, stored } = props
  const open = () => services.ui.set({ preview: { node, port }, menu: undefined })
  switch (value.kind) {
    case 'audio':
      return (
        <AudioThumb
          audio={value}
          stored={stored}
          owner={`${node}:${port}`}
          player={services.player}
          onOpen={open}
        />
      )
    case 'spectrogram':
      return <SpectrogramThumb value={value} stored={stored} onOpen={open} />
    case 'image':
      return <ImageThumb value={value} stored={stored} onOpen={open} />
    case 'frames':
      return (
        <FramesThumb
          value={value}
          owner={`${node}:${port}`}
          player={services.player}
          onOpen={open}
        />
      )
    case 'latent':
      return <LatentThumb value={value} stored={stored} onOpen={open} />
    case 'number':
      return (
        <div className="thumb thumb-value" title={String(value.value)}>
          {formatNumber(value.value)}
        </div>
      )
    case 'text':
      return <div className="thumb thumb-value thumb-text">{value.value || '(empty text)'}</div>
  }
}

function SpectrogramThumb({
  value,
  stored,
  onOpen,
}: {
  value: Extract<Value, { kind: 'spectrogram' }>
  stored?: EncodedRef
  onOpen: () => void
}) {
  const raster = useThumbData(value, stored)?.raster
  const seconds = ((value.frames - 1) * value.hopSize) / value.sampleRate
  const details =
    `${value.bins} bins × ${value.frames} frames · ${formatSeconds(seconds)} · ${value.scale}` +
    (value.channels.length > 1 ? ` · ${value.channels.length} ch` : '')
  return (
    <div className="thumb">
      <div className="thumb-frame" onClick={onOpen} title="Open a large view">
        <RasterImage
          raster={raster}
          placeholder={[THUMB_WIDTH, SPECTROGRAM_THUMB_HEIGHT]}
          className="thumb-canvas"
        />
      </div>
      <div className="thumb-caption" title={details}>
        {details}
      </div>
    </div>
  )
}

function ImageThumb({
  value,
  stored,
  onOpen,
}: {
  value: Extract<Value, { kind: 'image' }>
  stored?: EncodedRef
  onOpen: () => void
}) {
  const raster = useThumbData(value, stored)?.raster
  const channels =
    ['grey', 'grey + alpha', 'RGB', 'RGBA'][value.channels.length - 1] ??
    `${value.channels.length} ch`
  return (
    <div className="thumb">
      <div className="thumb-frame thumb-checker" onClick={onOpen} title="Open a large view">
        <RasterImage
          raster={raster}
          placeholder={fitSize(value.width, value.height, THUMB_WIDTH, IMAGE_THUMB_MAX_HEIGHT)}
          className="thumb-canvas thumb-image"
        />
      </div>
      <div className="thumb-caption">
        {value.width} × {value.height} · {channels}
      </div>
    </div>
  )
}

function LatentThumb({
  value,
  stored,
  onOpen,
}: {
  value: Extract<Value, { kind: 'latent' }>
  stored?: EncodedRef
  onOpen: () => void
}) {
  const tiles = useThumbData(value, stored)?.tiles ?? []
  return (
    <div className="thumb">
      <div className="thumb-frame thumb-tiles" onClick={onOpen} title="Open a large view">
        {tiles.map((tile, i) => (
          <RasterImage key={i} raster={tile} className="thumb-tile" />
        ))}
      </div>
      <div className="thumb-caption">latent {value.shape.join(' × ')}</div>
    </div>
  )
}
