import { decodeWithTransfer, type DecodeRequest } from './codec-host'

/** Decodes cache entries off the main thread (see codec-client.ts). */
self.addEventListener('message', (event: MessageEvent<DecodeRequest>) => {
  void decodeWithTransfer(event.data).then(({ reply, transfer }) =>
    self.postMessage(reply, { transfer }),
  )
})
