// Content-Security-Policy for the built app: nothing from another origin, no eval. Injected into the built
// index.html as a <meta> (so any static host applies it) and sent by `vite preview` as a header. Not in dev:
// the dev server's HMR client needs eval and a websocket. Checked in Chromium against the built app: no
// violation while the studio loads, picks the wasm backend, runs steps and draws the axis labels.
//
// What the app needs, and why each source is there:
//   script-src 'wasm-unsafe-eval'  WebAssembly.instantiate for the tfjs wasm backend and long.js's tiny wasm module;
//                                  it allows compiling WebAssembly only, not eval()/new Function ('unsafe-eval').
//   worker-src blob:               troika-three-text (drei <Text>) starts its worker from a blob: URL.
//   script-src blob:               ...and that worker loads its modules with importScripts(blob:), which a blob:
//                                  worker checks against the page's script-src (it inherits the page's policy).
//                                  A blob: URL can only be made by script already running on the page.
//   style-src 'unsafe-inline'      style attributes in markup and <style> elements that libraries insert.
//   img-src / font-src data:       the "data:," favicon, small assets Vite inlines as data: URLs, fontsource woff2.
//   connect-src data: blob:        fetch() of inlined assets (the wasm binaries, fonts) and of blob: URLs.
// No 'unsafe-eval': zod would probe `new Function` (a reported violation), so it runs jitless (engine/design/common.ts).
// object-src, base-uri and form-action are closed. No frame-ancestors: embedding the studio in a page stays possible.
import type { Plugin } from 'vite'

export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'", 'blob:'],
  'worker-src': ["'self'", 'blob:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
}

export function cspString(directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES): string {
  return Object.entries(directives).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ')
}

/** the policy: in the built index.html, and as a header from `vite preview` */
export const CONTENT_SECURITY_POLICY = cspString()

/** the <meta> element, with the policy's quotes written literally (the value holds no '"', '<' or '&') */
export const CSP_META = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`

/** Insert CSP_META right after <meta charset> (or first in <head>), before any script or stylesheet. */
export function injectCsp(html: string): string {
  if (html.includes('http-equiv="Content-Security-Policy"')) return html
  const charset = /<meta\s+charset=[^>]*>/i.exec(html)
  if (charset) {
    const at = charset.index + charset[0].length
    return `${html.slice(0, at)}\n    ${CSP_META}${html.slice(at)}`
  }
  const head = /<head[^>]*>/i.exec(html)
  if (!head) throw new Error('csp-plugin: index.html has no <head>')
  const at = head.index + head[0].length
  return `${html.slice(0, at)}\n    ${CSP_META}${html.slice(at)}`
}

/** `vite build` only (dev needs eval and a websocket for HMR): the policy in the built index.html. */
export function cspPlugin(): Plugin {
  return {
    name: 'dds-content-security-policy',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: injectCsp },
  }
}

/**
 * Cross-origin isolation: with these two headers the page may share memory between threads (SharedArrayBuffer),
 * which the engine's kernel threads need (src/workers/kernel-threads.ts). require-corp is free here: the app loads
 * nothing from another origin. Sent by the dev server and `vite preview`; a static host should send them too.
 */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

/** headers for `vite preview` (a static host should send the same) */
export const previewSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  ...ISOLATION_HEADERS,
}
