import { useEffect, useState } from 'react'
import { forgetModelFolder, listModelFolders } from '../../diffusion/browser/folder-source'
import { DownloadProgress } from './DownloadProgress'
import { downloads } from './downloads'
import {
  allowFolder,
  canPickFolders,
  folderPermission,
  missingModelFiles,
  pickFolder,
  rememberFolder,
} from './folders'
import { formatSize } from './format'
import { useDownload } from './hooks'
import { rememberModelUrl } from './model-ref'
import type { UseModel } from './ModelPanel'
import { normalizeModelUrl, probeModelUrl, type UrlCheck } from './url-check'

interface Problem {
  problem: string
  hint?: string
}

function ProblemLine({ problem }: { problem: Problem | undefined }) {
  if (!problem) return null
  return (
    <div className="model-problem" role="alert" data-testid="model-problem">
      <div>{problem.problem}</div>
      {problem.hint && <div className="model-hint">{problem.hint}</div>}
    </div>
  )
}

/** A model of one's own: a folder on this computer, or a URL. */
export function OwnModels({ use }: { use: UseModel }) {
  return (
    <section>
      <h3>Your own model (diffusers ONNX layout, see models/README.md)</h3>
      <FolderModels use={use} />
      <UrlModel use={use} />
    </section>
  )
}

function FolderModels({ use }: { use: UseModel }) {
  const [folders, setFolders] = useState<{ name: string; access: string }[]>([])
  const [problem, setProblem] = useState<Problem | undefined>(undefined)
  const [version, setVersion] = useState(0)
  useEffect(() => {
    let live = true
    void listModelFolders()
      .then((names) =>
        Promise.all(names.map(async (name) => ({ name, access: await folderPermission(name) }))),
      )
      .then((list) => live && setFolders(list))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [version])

  const pick = async () => {
    setProblem(undefined)
    const handle = await pickFolder()
    if (!handle) return
    const missing = await missingModelFiles(handle)
    if (missing.length > 0) {
      setProblem({
        problem: `“${handle.name}” is not a Stable Diffusion model folder: it has no ${missing.join(', ')}.`,
        hint: 'Pick the folder that holds unet/, text_encoder/, tokenizer/ and vae_decoder/.',
      })
      return
    }
    use(`folder:${await rememberFolder(handle)}`)
  }

  return (
    <div className="model-own">
      <button
        type="button"
        disabled={!canPickFolders()}
        onClick={() => void pick().catch((e: unknown) => setProblem({ problem: String(e) }))}
      >
        Use a folder…
      </button>{' '}
      <span className="model-notes">
        {canPickFolders()
          ? 'A model folder on this computer: nothing is copied, the browser reads it in place.'
          : 'This browser cannot open folders (Chrome and Edge can): use a URL, or the command line’s --model.'}
      </span>
      <ProblemLine problem={problem} />
      {folders.length > 0 && (
        <ul className="model-list">
          {folders.map((f) => (
            <li key={f.name} className="model-row">
              <div className="model-main">
                Folder “{f.name}”
                {f.access !== 'granted' && (
                  <span className="model-partial">needs permission after a reload</span>
                )}
              </div>
              <div className="model-actions">
                {f.access !== 'granted' && (
                  <button
                    type="button"
                    onClick={() => void allowFolder(f.name).then(() => setVersion((v) => v + 1))}
                  >
                    Allow access
                  </button>
                )}
                <button type="button" onClick={() => use(`folder:${f.name}`)}>
                  Use
                </button>
                <button
                  type="button"
                  title="Forget this folder (its files stay where they are)"
                  onClick={() =>
                    void forgetModelFolder(f.name).then(() => setVersion((v) => v + 1))
                  }
                >
                  Forget
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function UrlModel({ use }: { use: UseModel }) {
  const [text, setText] = useState('')
  const [checking, setChecking] = useState(false)
  const [check, setCheck] = useState<UrlCheck | undefined>(undefined)
  const found = check?.ok ? check : undefined
  const state = useDownload(found?.url ?? '')
  const submit = async () => {
    const normal = normalizeModelUrl(text)
    if (!normal.ok) return setCheck(normal)
    setChecking(true)
    setCheck(undefined)
    try {
      const probed = await probeModelUrl(normal.url)
      setCheck(probed.ok ? { ...probed, note: normal.note } : probed)
    } finally {
      setChecking(false)
    }
  }
  return (
    <div className="model-own">
      <form
        className="model-url"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <label htmlFor="model-url-input">From a URL…</label>
        <input
          id="model-url-input"
          type="text"
          placeholder="https://huggingface.co/<owner>/<model>/resolve/main/"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="model-url"
        />
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Check'}
        </button>
      </form>
      {check && !check.ok && <ProblemLine problem={check} />}
      {found && (
        <div className="model-found" data-testid="model-found">
          <div className="model-ok">
            ✓ A model is there{found.unetBytes ? ` (its UNet: ${formatSize(found.unetBytes)})` : ''}
            : {found.url}
          </div>
          {found.note && <div className="model-notes">{found.note}</div>}
          {state && <DownloadProgress state={state} onCancel={() => downloads.cancel(found.url)} />}
          <div className="model-actions">
            {state?.status !== 'done' && state?.status !== 'downloading' && (
              <button
                type="button"
                onClick={() => {
                  rememberModelUrl(found.url)
                  void downloads.start(found.url)
                }}
              >
                {state ? 'Resume' : 'Download now'}
              </button>
            )}
            <button
              type="button"
              onClick={() => {
                rememberModelUrl(found.url)
                use(found.url)
              }}
            >
              Use
            </button>
          </div>
        </div>
      )}
    </div>
  )
}
