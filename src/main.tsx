import { createRoot } from 'react-dom/client'

// Placeholder until the editor lands (src/editor/).
createRoot(document.getElementById('root') as HTMLElement).render(<p>Synesthete</p>)
