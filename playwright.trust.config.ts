// The same e2e set-up as playwright.config.ts on its own port and build folder, so that a developer can run
// e2e/trust.spec.ts while someone else's preview server holds port 4173: npx playwright test -c playwright.trust.config.ts
import { defineConfig } from '@playwright/test'
import base from './playwright.config'

const PORT = Number(process.env.DDS_TRUST_PORT ?? 4391)
const OUT = process.env.DDS_TRUST_OUT ?? '/tmp/dds-trust-dist'

export default defineConfig({
  ...base,
  testMatch: process.env.DDS_E2E_MATCH ?? 'trust.spec.ts',
  outputDir: '/tmp/dds-trust-results',
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    command: `npx vite build --outDir ${OUT} --emptyOutDir && npx vite preview --outDir ${OUT} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
