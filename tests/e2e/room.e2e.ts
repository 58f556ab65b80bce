import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { abxPValue } from '../../src/editor/room/abx'
import { formatP } from '../../src/editor/room/TestPanel'
import { screenshot, useBrowser } from './browser'
import { doc, unexpected, waitForFirstRun } from './editor-helpers'

/** The room's position as it shows it (`0:01.25` → 1.25). */
async function roomTime(page: Page): Promise<number> {
  const text = (await page.locator('[data-testid="room-time"]').textContent()) ?? ''
  const parts = text.split(':').map(Number)
  return parts.reduce((total, part) => total * 60 + part, 0)
}

/** Waits until the transport has played to at least `sec` (polling the room's clock). */
async function playedTo(page: Page, sec: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (s) => {
      const room = window.__synestheteRoom
      return !!room && room.transport.isPlaying && room.transport.position() >= s
    },
    sec,
    { timeout, polling: 20 },
  )
}

async function openRoom(page: Page) {
  await page.locator('[data-testid="listen-button"]').click()
  await page.locator('[data-testid="listening-room"]').waitFor()
}

const laneNames = (page: Page) => page.locator('[data-testid="lane-name"]').allTextContents()

describe('the listening room', () => {
  const session = useBrowser()

  it('shows the default graph’s three readings as lanes with loudness, and switches at the same position', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await waitForFirstRun(page, 240_000)
    await openRoom(page)
    const lanes = page.locator('[data-testid="lane"]')
    await expect.poll(() => lanes.count()).toBe(3)
    expect(await laneNames(page)).toEqual(['picture_heard', 'painting_stereo', 'painting_chirps'])
    await expect
      .poll(() => page.locator('[data-testid="lane-length"]').allTextContents(), {
        timeout: 60_000,
      })
      .toEqual([
        expect.stringMatching(/^0:0\d\.\d\d$/),
        expect.stringMatching(/^0:0\d\.\d\d$/),
        '0:30.00',
      ])
    await screenshot(page, 'room-opened')
    // Every lane is measured: loudness like "−23.4 LUFS" (or "silent"), never NaN.
    await expect
      .poll(() => page.locator('[data-testid="lane-lufs"]').allTextContents(), { timeout: 60_000 })
      .toEqual([
        expect.stringMatching(/^(−?\d+\.\d LUFS|silent)$/),
        expect.stringMatching(/^(−?\d+\.\d LUFS|silent)$/),
        expect.stringMatching(/^(−?\d+\.\d LUFS|silent)$/),
      ])
    expect(await page.locator('[data-testid="lane-length"]').allTextContents()).toEqual([
      expect.stringMatching(/^0:0\d\.\d\d$/),
      expect.stringMatching(/^0:0\d\.\d\d$/),
      '0:30.00',
    ])
    await expect.poll(() => lanes.nth(0).getAttribute('aria-current')).toBe('true')
    await screenshot(page, 'room-default')

    // Play with Space, switch with 2 after 1.5 s: the position carries on.
    await page.keyboard.press('Space')
    await playedTo(page, 1.5)
    await page.evaluate(() => {
      const w = window as unknown as { __keyAt: number }
      window.addEventListener('keydown', (e) => (w.__keyAt = e.timeStamp), {
        once: true,
        capture: true,
      })
    })
    await page.keyboard.press('2')
    await expect.poll(() => lanes.nth(1).getAttribute('aria-current')).toBe('true')
    expect(await lanes.nth(0).getAttribute('aria-current')).toBeNull()
    const after = await page.evaluate(() => {
      const room = window.__synestheteRoom
      const w = window as unknown as { __keyAt: number }
      const s = room?.transport.lastSwitch
      return {
        position: room?.transport.position() ?? 0,
        playing: room?.transport.isPlaying,
        handlerMs: s ? s.pageMs - w.__keyAt : NaN,
        scheduledLagMs: s ? (s.scheduledAt - s.contextNow) * 1000 : NaN,
      }
    })
    expect(after.playing).toBe(true)
    expect(after.position).toBeGreaterThanOrEqual(1.5)
    // The crossfade is scheduled at the audio clock's now, from within the key's own event.
    expect(after.scheduledLagMs).toBe(0)
    console.log(`switch: scheduled ${after.handlerMs.toFixed(1)} ms after the key event`)
    await playedTo(page, after.position + 0.3)
    expect(await roomTime(page)).toBeGreaterThan(after.position)
    await screenshot(page, 'room-playing-lane-2')

    // Loop a region dragged on the ruler (8 s to 11 s of the 30 s ruler), then hear it wrap.
    const ruler = await page.locator('[data-testid="room-ruler"]').boundingBox()
    if (!ruler) throw new Error('no ruler')
    const xAt = (sec: number) => ruler.x + (sec / 30) * ruler.width
    await page.mouse.move(xAt(8), ruler.y + ruler.height / 2)
    await page.mouse.down()
    await page.mouse.move(xAt(9.5), ruler.y + ruler.height / 2, { steps: 4 })
    await page.mouse.move(xAt(11), ruler.y + ruler.height / 2, { steps: 4 })
    await page.mouse.up()
    await expect.poll(async () => (await doc(page)).room?.loop?.on).toBe(true)
    const loop = (await doc(page)).room?.loop
    if (!loop) throw new Error('no loop saved')
    expect(loop.startSec).toBeCloseTo(8, 0)
    expect(loop.endSec).toBeCloseTo(11, 0)
    // Seek into the region by clicking lane 2 at 10 s; the transport must come back to the
    // region's start after its end, and never play past it.
    const view = await lanes.nth(1).locator('[data-testid="lane-canvas"]').boundingBox()
    if (!view) throw new Error('no lane view')
    await page.mouse.click(view.x + (10 / 30) * view.width, view.y + view.height / 2)
    const seen = await page.evaluate(
      ([start, end]) =>
        new Promise<number[]>((resolve) => {
          const positions: number[] = []
          const room = window.__synestheteRoom
          const tick = () => {
            const t = room?.transport.position() ?? -1
            positions.push(t)
            const wrapped = positions.length > 2 && t < positions[positions.length - 2] - 1
            if (wrapped && positions.length > 10) resolve(positions)
            else if (positions.length > 2000) resolve(positions)
            else requestAnimationFrame(tick)
          }
          requestAnimationFrame(tick)
          void start
          void end
        }),
      [loop.startSec, loop.endSec] as const,
    )
    const wrapAt = seen.findIndex((t, i) => i > 0 && t < seen[i - 1] - 1)
    expect(wrapAt).toBeGreaterThan(0)
    expect(Math.max(...seen)).toBeLessThanOrEqual(loop.endSec + 0.05)
    expect(seen[wrapAt]).toBeGreaterThanOrEqual(loop.startSec - 0.01)
    expect(seen[wrapAt]).toBeLessThan(loop.startSec + 0.5)
    await screenshot(page, 'room-loop')
    await page.keyboard.press('Space')
    await expect
      .poll(() => page.evaluate(() => window.__synestheteRoom?.transport.isPlaying))
      .toBe(false)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  }, 400_000)

  it('runs a blind test and an ABX test, and keeps the room across a reload', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await waitForFirstRun(page, 240_000)
    await openRoom(page)
    const lanes = page.locator('[data-testid="lane"]')
    await expect.poll(() => page.locator('[data-testid="lane-length"]').count()).toBe(3)
    await expect
      .poll(() => page.locator('[data-testid="lane-length"]').allTextContents(), {
        timeout: 60_000,
      })
      .toEqual([
        expect.stringMatching(/\d/),
        expect.stringMatching(/\d/),
        expect.stringMatching(/\d/),
      ])

    // Blind: letters instead of names, a ranking, then the reveal.
    await page.locator('[data-testid="room-blind"]').click()
    await page.locator('[data-testid="blind-panel"]').waitFor()
    expect(await laneNames(page)).toEqual(['Lane A', 'Lane B', 'Lane C'])
    expect(await page.locator('[data-testid="lane-lufs"]').count()).toBe(0)
    await page.keyboard.press('2')
    await expect.poll(() => lanes.nth(1).getAttribute('aria-current')).toBe('true')
    const ranks = page.locator('[data-testid="blind-rank"]')
    await ranks.nth(2).selectOption('1')
    await ranks.nth(0).selectOption('2')
    await ranks.nth(1).selectOption('3')
    await screenshot(page, 'room-blind')
    const hidden = await page.evaluate(
      () => window.__synestheteRoom?.getSnapshot().blind?.order ?? [],
    )
    await page.locator('[data-testid="blind-reveal"]').click()
    const result = page.locator('[data-testid="blind-result"] li')
    await expect.poll(() => result.count()).toBe(3)
    const names = await page.evaluate(
      (keys) =>
        keys.map(
          (k) => window.__synestheteRoom?.getSnapshot().lanes.find((l) => l.key === k)?.name,
        ),
      hidden,
    )
    // Ranked C, A, B: the reveal names the lanes that hid behind those letters, in that order.
    expect(await result.allTextContents()).toEqual([
      `C ${names[2]}`,
      `A ${names[0]}`,
      `B ${names[1]}`,
    ])
    await screenshot(page, 'room-blind-revealed')
    await page.locator('[data-testid="room-end-test"]').click()

    // ABX between the first two lanes: X is one of them; answers are counted and scored.
    await page.locator('[data-testid="room-abx"]').click()
    await page.locator('[data-testid="abx-panel"]').waitFor()
    await page.keyboard.press('Space')
    await page.keyboard.press('3')
    await expect
      .poll(() => page.locator('[data-testid="abx-x"]').getAttribute('aria-pressed'))
      .toBe('true')
    const answers = ['abx-answer-a', 'abx-answer-b', 'abx-answer-a', 'abx-answer-a', 'abx-answer-b']
    let right = 0
    for (const [i, answer] of answers.entries()) {
      const x = await page.evaluate(
        () => window.__synestheteRoom?.getSnapshot().abx?.trials.at(-1)?.x,
      )
      if ((answer === 'abx-answer-a') === (x === 'A')) right++
      await page.locator(`[data-testid="${answer}"]`).click()
      await expect
        .poll(() => page.locator('[data-testid="abx-score"]').textContent())
        .toContain(`of ${i + 1} right`)
    }
    const score = (await page.locator('[data-testid="abx-score"]').textContent()) ?? ''
    expect(score).toContain(`${right} of 5 right`)
    expect(await page.locator('[data-testid="abx-p"]').textContent()).toBe(
      formatP(abxPValue(5, right)),
    )
    await screenshot(page, 'room-abx')
    await page.locator('[data-testid="room-end-test"]').click()
    await page.keyboard.press('Space')

    // Change the room: reorder, loop, matching off, linear frequency; a reload keeps it all.
    await lanes.nth(2).locator('[data-testid="lane-up"]').click()
    await page.locator('[data-testid="room-frequency"]').selectOption('linear')
    await page.locator('[data-testid="room-match"]').uncheck()
    const ruler = await page.locator('[data-testid="room-ruler"]').boundingBox()
    if (!ruler) throw new Error('no ruler')
    await page.mouse.move(ruler.x + ruler.width * 0.1, ruler.y + 10)
    await page.mouse.down()
    await page.mouse.move(ruler.x + ruler.width * 0.3, ruler.y + 10, { steps: 5 })
    await page.mouse.up()
    await expect.poll(async () => (await doc(page)).room?.loop?.on).toBe(true)
    const before = await laneNames(page)
    expect(before).toEqual(['picture_heard', 'painting_chirps', 'painting_stereo'])
    const saved = (await doc(page)).room
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')))
    await page.reload()
    await page.locator('[data-testid="listening-room"]').waitFor()
    await expect.poll(() => laneNames(page)).toEqual(before)
    expect((await doc(page)).room).toEqual(saved)
    expect(await page.locator('[data-testid="room-frequency"]').inputValue()).toBe('linear')
    expect(await page.locator('[data-testid="room-match"]').isChecked()).toBe(false)
    expect(await page.locator('[data-testid="room-loop"]').isChecked()).toBe(true)
    await screenshot(page, 'room-after-reload')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  }, 400_000)
})
