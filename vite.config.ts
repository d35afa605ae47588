/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { cspPlugin, ISOLATION_HEADERS, previewSecurityHeaders } from './scripts/csp-plugin.ts'

export default defineConfig({
  plugins: [react(), cspPlugin()],
  // the built app's Content-Security-Policy (scripts/csp-plugin.ts), also sent by `vite preview`
  preview: { headers: previewSecurityHeaders },
  // cross-origin isolated in development too: the kernel threads need SharedArrayBuffer
  server: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  // two pages: the studio and the benchmark page (/bench.html, src/bench/)
  build: { rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } } },
  // pre-bundle worker-only deps at start-up, otherwise the dev server re-optimises when the worker loads
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'comlink'] },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
