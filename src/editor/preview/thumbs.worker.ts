import { createThumbHost, type ThumbRequest } from './thumb-host'

/** Makes node previews of large values off the main thread (see thumb-client.ts). */
const answer = createThumbHost()
self.addEventListener('message', (event: MessageEvent<ThumbRequest>) => {
  void answer(event.data).then(({ reply, transfer }) => self.postMessage(reply, { transfer }))
})
