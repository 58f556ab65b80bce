import { useSyncExternalStore } from 'react'
import type { EditorServices } from '../services'
import { AskDialog } from './AskDialog'
import { GraphBrowser } from './GraphBrowser'
import { SaveDialog } from './SaveDialog'
import { ShareDialog } from './ShareDialog'
import './library.css'

/** Whatever the library shows over the editor: the browser, a question, the share or save form. */
export function LibraryOverlays({ services }: { services: EditorServices }) {
  const { ui } = services.library
  const state = useSyncExternalStore(ui.subscribe, ui.getSnapshot)
  return (
    <>
      {state.browser && <GraphBrowser services={services} state={state.browser} />}
      {state.save && (
        <SaveDialog services={services} name={state.save.name} notes={state.save.notes} />
      )}
      {state.share && (
        <ShareDialog
          services={services}
          url={state.share.url}
          copied={state.share.copied}
          notes={state.share.notes}
        />
      )}
      {state.ask && <AskDialog request={state.ask} />}
    </>
  )
}
