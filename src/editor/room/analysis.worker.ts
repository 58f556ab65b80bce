import { answerAnalysis, type AnalysisRequest } from './analysis-host'

/** Measures and draws the room's lanes off the page (see analysis-client.ts). */
self.addEventListener('message', (event: MessageEvent<AnalysisRequest>) => {
  void answerAnalysis(event.data).then(({ reply, transfer }) =>
    self.postMessage(reply, { transfer }),
  )
})
