import { answerRoomRequest, type RoomWorkerRequest } from './analysis-host'

/** Measures and draws the room's lanes, and builds its export, off the page (analysis-client.ts). */
self.addEventListener('message', (event: MessageEvent<RoomWorkerRequest>) => {
  void answerRoomRequest(event.data).then(({ reply, transfer }) =>
    self.postMessage(reply, { transfer }),
  )
})
