import { createRoot } from 'react-dom/client'
import { registry } from '../nodes'
import { App } from './editor/App'
import { bootEditor } from './editor/bootstrap'
import { followLinks, openLinkInAddress } from './editor/library/share'
import { loadRuntime } from './editor/runtime-loader'
import './editor/styles/theme.css'
import './editor/styles/node.css'
import './editor/styles/layout.css'
import './editor/styles/overlays.css'
import './editor/styles/controls.css'
import './editor/styles/preview.css'

const boot = bootEditor(registry, window.localStorage)
const { services } = boot

createRoot(document.getElementById('root') as HTMLElement).render(
  <App services={services} tidyOnOpen={boot.opensDefault} />,
)

// A shared link in the address opens before the first run; later links pasted in follow.
const linkOpened = openLinkInAddress(services).catch(() => undefined)
followLinks(services)

// The default graph runs as soon as the engine is up, so its previews appear by themselves.
void Promise.all([loadRuntime(), linkOpened]).then(([{ runtime, problem }]) => {
  boot.setRuntime(runtime)
  if (problem) services.runs.setNotice(problem)
  else if (services.store.doc.nodes.length > 0) void services.controller.run()
})
