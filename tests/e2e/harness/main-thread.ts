/**
 * How responsive the page stayed: long tasks (> 50 ms, from the Long Tasks API) and the
 * longest gap between animation frames while a watch was running.
 */
export interface MainThreadReport {
  longTasks: number[]
  maxFrameGapMs: number
  frames: number
}

export function watchMainThread(): { stop(): Promise<MainThreadReport> } {
  const longTasks: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration))
  })
  observer.observe({ type: 'longtask', buffered: false })
  let maxFrameGapMs = 0
  let frames = 0
  let last = performance.now()
  let running = true
  const tick = (now: number) => {
    maxFrameGapMs = Math.max(maxFrameGapMs, now - last)
    last = now
    frames++
    if (running) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  return {
    stop: async () => {
      // Long-task entries arrive after the task; give them a frame to be queued.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)))
      running = false
      for (const entry of observer.takeRecords()) longTasks.push(Math.round(entry.duration))
      observer.disconnect()
      return { longTasks, maxFrameGapMs: Math.round(maxFrameGapMs), frames }
    },
  }
}
