// Light and dark: with a light system colour scheme the page, the charts and the 3D view are light; the toggle
// overrides the system and is remembered across a reload. Both kinds.
import { readFileSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'
import { test, WASM } from './fixtures'

test.use({ colorScheme: 'light', viewport: { width: 1400, height: 900 } })

/** relative luminance-ish brightness of a CSS rgb() colour, 0 (black) to 255 (white) */
const brightness = (css: string): number => {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).map(Number)
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
const gridStroke = (page: Page) => page.locator('.chart-grid line').first().evaluate((l) => getComputedStyle(l).stroke)

/** distinct colours on the 3D view (0 while it mounts) */
const viewColours = (page: Page) =>
  page.evaluate(() => (window as unknown as { __dds?: { canvasColours?: () => number } }).__dds?.canvasColours?.() ?? 0)

/** the top-left pixel of the 3D view, from its PNG export, as brightness */
async function viewCorner(page: Page): Promise<number> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('toolbar', { name: 'View' }).getByRole('button', { name: 'PNG' }).click()])
  const b64 = readFileSync((await d.path())!).toString('base64')
  const rgb = await page.evaluate(async (data) => {
    const img = new Image()
    img.src = `data:image/png;base64,${data}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.naturalWidth
    c.height = img.naturalHeight
    const ctx = c.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    return Array.from(ctx.getImageData(2, 2, 1, 1).data.slice(0, 3))
  }, b64)
  return brightness(`rgb(${rgb.join(',')})`)
}

test('a light system scheme gives a light studio; the toggle overrides it and is remembered', async ({ page, watch }) => {
  void watch
  await page.goto(WASM)
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 60_000 })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  expect(brightness(await pageBackground(page))).toBeGreaterThan(230)
  await expect(page.getByTestId('theme-toggle')).toHaveText('Theme: light (system)')
  await page.getByRole('button', { name: 'Step', exact: true }).click()
  await expect(page.getByTestId('step-count')).toHaveText('1', { timeout: 60_000 })
  await expect.poll(async () => brightness(await gridStroke(page)), { timeout: 30_000 }).toBeGreaterThan(200)
  expect(await viewCorner(page)).toBeGreaterThan(200)

  // system → light (chosen) → dark (chosen)
  await page.getByTestId('theme-toggle').click()
  await expect(page.getByTestId('theme-toggle')).toHaveText('Theme: light')
  await page.getByTestId('theme-toggle').click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(brightness(await pageBackground(page))).toBeLessThan(40)
  expect(brightness(await gridStroke(page))).toBeLessThan(60)
  expect(await viewCorner(page)).toBeLessThan(40)

  // remembered; the calorimeter follows it too
  await page.reload()
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByTestId('theme-toggle').click() // dark (chosen) → system (light)
  await expect(page.getByTestId('theme-toggle')).toHaveText('Theme: light (system)')
  await page.getByLabel('Preset').selectOption('atlas-like-lar')
  await expect(page.getByTestId('resolution-value')).toHaveText(/^\d/, { timeout: 60_000 })
  await expect.poll(() => viewColours(page), { timeout: 30_000 }).toBeGreaterThan(20) // the stack is on screen
  expect(await viewCorner(page)).toBeGreaterThan(200)
})
