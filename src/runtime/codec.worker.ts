import { answerCodecRequest, type CodecRequest } from './codec-host'

/** Decodes cache entries and hashes dropped files off the main thread (see codec-client.ts). */
self.addEventListener('message', (event: MessageEvent<CodecRequest>) => {
  void answerCodecRequest(event.data).then(({ reply, transfer }) =>
    self.postMessage(reply, { transfer }),
  )
})
