// End-to-end tests in Debian's Chromium: no browser download; `node scripts/setup.mjs
// --browser` (run by `npm test`) installs the Debian package `chromium` when it is missing.
import { defineConfig } from '@playwright/test'

// DDS_E2E_PORT lets several checkouts run their e2e suites side by side without sharing a preview server
const PORT = Number(process.env.DDS_E2E_PORT ?? 4173)
const BASE_URL = `http://127.0.0.1:${PORT}`

const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu', // the only flag needed for a WebGPU adapter (SwiftShader) on a GPU-less machine
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] // no --user-data-dir (Playwright forbids it and uses a fresh profile) and no --no-sandbox (Playwright adds it)

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1, // 2 cores; software WebGL/WebGPU is CPU-bound
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    navigationTimeout: 60_000,
    actionTimeout: 30_000,
    trace: 'retain-on-failure',
  },
  webServer: {
    // type-checking is `npm run typecheck`'s job (npm test runs it first); here only the production bundle is built
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
