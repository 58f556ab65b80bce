import { useEffect, useState } from 'react'
import type { GpuStatus as Status } from '../../runtime/types'
import { forcedGpuProvider } from '../gpu-flag'
import type { EditorServices } from '../services'
import { openModelPanel } from './panel-store'

const PROVIDER: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM (CPU)' }

/**
 * The status bar's GPU item: what WebGPU offers here and what last actually ran a GPU node
 * (the GPU worker's report), plus the way into the model panel.
 */
export function GpuStatus({ services }: { services: EditorServices }) {
  const gpu = services.runtime()?.gpu
  const [status, setStatus] = useState<Status | undefined>(gpu?.status())
  useEffect(() => {
    if (!gpu) return
    setStatus(gpu.status())
    void gpu.probe()
    return gpu.subscribe(setStatus)
  }, [gpu])
  const forced = forcedGpuProvider()
  const support = status?.support
  const last = status?.lastRun
  let text = 'GPU: …'
  if (forced === 'wasm') text = 'GPU: off (?gpu=wasm)'
  else if (forced === 'webgpu') text = 'GPU: WebGPU forced (?gpu=webgpu)'
  else if (support?.software) text = `GPU: software (${support.software}), so WASM`
  else if (support) text = support.adapter === 'available' ? 'GPU: WebGPU' : 'GPU: none'
  const title = [
    support?.description ? `Adapter: ${support.description}` : support?.reason,
    support?.software && forced === 'auto'
      ? `${support.software} is the CPU drawing as a GPU: GPU nodes run faster on WASM. ?gpu=webgpu uses it anyway.`
      : '',
    support?.adapter === 'available' && !support.shaderF16
      ? 'No shader-f16: fp16 models run on the CPU (WASM).'
      : '',
    last
      ? `Last GPU node ran on ${PROVIDER[last.provider] ?? last.provider}${last.note ? ` (${last.note})` : ''}`
      : '',
  ]
    .filter(Boolean)
    .join('\n')
  return (
    <span className="status-gpu" title={title} data-testid="gpu-status">
      {/* One line: a narrow window cuts the words (…), never the Models… button. */}
      <span className="status-gpu-text">
        {text}
        {last && (
          <>
            {' '}
            · last ran on{' '}
            <b data-testid="gpu-last-provider">{PROVIDER[last.provider] ?? last.provider}</b>
            {last.note && last.note !== 'WebGPU' && (
              <span className="status-gpu-why" data-testid="gpu-last-why">
                {' '}
                ({last.note})
              </span>
            )}
          </>
        )}
      </span>
      <button type="button" className="link-button" onClick={() => openModelPanel(services)}>
        Models…
      </button>
    </span>
  )
}
