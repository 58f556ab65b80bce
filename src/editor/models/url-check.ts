/**
 * "From a URL…": reads what a person pasted as the base address of a diffusers ONNX model,
 * fixes the usual slips (a Hugging Face page instead of its files, a missing trailing slash)
 * and asks the server, before anything is downloaded, whether the model is there and whether
 * this page may read it. Every failure comes back in words, with what to do.
 */

import { fetchWithTimeout } from '../../diffusion/fetch-limits'

export type UrlCheck =
  | { ok: true; url: string; note?: string; unetBytes?: number }
  | { ok: false; problem: string; hint?: string }

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The address as the resolver wants it: https (or a local http server), ending in '/'. */
const notAnAddress = (text: string): UrlCheck => ({
  ok: false,
  problem: `“${text}” is not a web address.`,
  hint: 'It should look like https://huggingface.co/<owner>/<model>/resolve/main/',
})

export function normalizeModelUrl(input: string): UrlCheck {
  const text = input.trim()
  if (text === '') return { ok: false, problem: 'Paste the address of a model folder first.' }
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`)
  } catch {
    return notAnAddress(text)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      problem: `${url.protocol.replace(':', '')} addresses cannot be downloaded.`,
      hint: 'For a folder on this computer use “Use a folder…” instead.',
    }
  }
  // Chromium's URL parser accepts (escapes) spaces and other junk in host names: check them.
  const local = LOCAL_HOSTS.has(url.hostname)
  if (!local && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname)) return notAnAddress(text)
  if (url.protocol === 'http:' && !local) {
    return {
      ok: false,
      problem:
        'The address must start with https:// (plain http is only allowed on this computer).',
      hint: 'Browsers block insecure downloads from a secure page.',
    }
  }
  url.search = ''
  url.hash = ''
  let note: string | undefined
  if (url.hostname === 'huggingface.co') {
    // A repository page (…/owner/model or …/tree/main/sub) names the files' web pages, not the
    // files; the files themselves live under …/resolve/<revision>/.
    const parts = url.pathname.split('/').filter(Boolean)
    if (parts.length >= 2 && parts[2] !== 'resolve') {
      const revision = parts[2] === 'tree' || parts[2] === 'blob' ? (parts[3] ?? 'main') : 'main'
      const rest = parts[2] === 'tree' || parts[2] === 'blob' ? parts.slice(4) : []
      url.pathname = `/${[parts[0], parts[1], 'resolve', revision, ...rest].join('/')}`
      note = 'Changed to the address of the files (…/resolve/…).'
    }
  }
  url.pathname = url.pathname.replace(/\/(model_index\.json|unet\/model\.onnx)$/, '/')
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return { ok: true, url: url.href, note }
}

/**
 * Asks for one file's headers (HEAD, or a one-byte GET where HEAD is refused), giving up on a
 * server that does not answer (fetch-limits.ts).
 */
async function ask(url: string, fetchImpl: typeof fetch, signal?: AbortSignal) {
  const context = { path: url, label: new URL(url).host, fetchImpl }
  const head = (await fetchWithTimeout(url, { method: 'HEAD', signal }, context)).response
  if (head.status !== 405 && head.status !== 501) return head
  const range = { headers: { Range: 'bytes=0-0' }, signal }
  return (await fetchWithTimeout(url, range, context)).response
}

function sizeOf(response: Response): number | undefined {
  const range = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')
  const size = Number(range?.[1] ?? response.headers.get('content-length'))
  return size > 0 ? size : undefined
}

/** Checks that `url` (normalised) holds a diffusers ONNX model this page may download. */
export async function probeModelUrl(
  url: string,
  fetchImpl: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<UrlCheck> {
  let unetBytes: number | undefined
  for (const path of ['unet/model.onnx', 'tokenizer/vocab.json']) {
    let response: Response
    try {
      response = await ask(new URL(path, url).href, fetchImpl, signal)
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error
      return {
        ok: false,
        problem:
          'The server could not be reached, or it does not let other sites read its files (CORS).',
        hint:
          'Check the address and your connection. Hugging Face …/resolve/main/ addresses allow it; ' +
          'your own server must send Access-Control-Allow-Origin. Or download the folder and use ' +
          '“Use a folder…”.',
      }
    }
    if (response.status === 404) {
      return {
        ok: false,
        problem: `There is no ${path} at this address.`,
        hint: 'Use the model’s top folder: the one holding unet/, text_encoder/, tokenizer/ and vae_decoder/ (the diffusers ONNX layout).',
      }
    }
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        problem: `The server refused ${path} (HTTP ${response.status}).`,
        hint: 'The model may be private or need its licence accepted: download it yourself and use “Use a folder…”.',
      }
    }
    if (!response.ok) {
      return { ok: false, problem: `The server answered HTTP ${response.status} for ${path}.` }
    }
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      return {
        ok: false,
        problem: `The server answered with a web page instead of ${path}.`,
        hint: 'The address is probably a page about the model, not the folder of its files.',
      }
    }
    if (path === 'unet/model.onnx') unetBytes = sizeOf(response)
  }
  return { ok: true, url, unetBytes }
}
