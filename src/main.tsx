import { createRoot } from 'react-dom/client'
import { registry } from '../nodes'
import { App } from './editor/App'
import { bootEditor } from './editor/bootstrap'
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

// The default graph runs as soon as the engine is up, so its previews appear by themselves.
void loadRuntime().then(({ runtime, problem }) => {
  boot.setRuntime(runtime)
  if (problem) services.runs.setNotice(problem)
  else if (services.store.doc.nodes.length > 0) void services.controller.run()
})
