// The first-visit guide: it opens by itself on the first visit, over a studio that keeps working, pages through
// its steps, and once closed stays closed on the next visit; the status bar's Guide opens it again. Both kinds.
import { expect } from '@playwright/test'
import { test, WASM } from './fixtures'

test.use({ guideSeen: false, viewport: { width: 1400, height: 900 } })

test('the guide shows on the first visit only, and Guide reopens it', async ({ page, watch }) => {
  void watch
  await page.goto(WASM)
  const guide = page.getByRole('dialog', { name: 'Guide' })
  await expect(guide).toBeVisible({ timeout: 60_000 })
  await expect(guide).toContainText('A muon scanner')
  // not modal: the studio stays usable under it
  await page.getByRole('button', { name: 'Step', exact: true }).click()
  await expect(page.getByTestId('step-count')).toHaveText('1', { timeout: 60_000 })
  for (let i = 0; i < 4; i++) await guide.getByRole('button', { name: 'Next' }).click()
  await expect(guide).toContainText('5 / 5')
  await guide.getByRole('button', { name: 'Done' }).click()
  await expect(guide).toHaveCount(0)

  await page.reload()
  await expect(page.getByRole('button', { name: /^(Play|Pause)$/ })).toBeEnabled({ timeout: 60_000 })
  await page.waitForTimeout(3000) // past the first frame, when a due guide opens
  await expect(guide).toHaveCount(0)

  // reopened for the calorimeter, with that kind's steps
  await page.getByLabel('Preset').selectOption('atlas-like-lar')
  await expect(page.getByTestId('resolution-value')).toHaveText(/^\d/, { timeout: 60_000 })
  await page.getByRole('button', { name: 'Guide', exact: true }).click()
  await expect(guide).toContainText('A sampling calorimeter')
  await guide.getByRole('button', { name: 'Skip' }).click()
  await expect(guide).toHaveCount(0)
})
