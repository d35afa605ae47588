// The built app's Content-Security-Policy (scripts/csp-plugin.ts): no other origin, no eval, injected into the
// built index.html ahead of every script, and the same policy from `vite preview`.
import { describe, expect, test } from 'vitest'
import type { IndexHtmlTransformHook, Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, cspPlugin, injectCsp, previewSecurityHeaders } from '../scripts/csp-plugin'
import viteConfig from '../vite.config'

const SOURCE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Detector Design Studio</title>
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`

function transform(plugin: Plugin, html: string): string {
  const hook = plugin.transformIndexHtml
  const handler = (typeof hook === 'function' ? hook : (hook as { handler: IndexHtmlTransformHook }).handler)
  const out = (handler as (html: string) => unknown)(html)
  if (typeof out !== 'string') throw new Error('expected the plugin to return the html')
  return out
}

describe('content security policy', () => {
  test('no eval, no inline script, no other origin', () => {
    const p = CONTENT_SECURITY_POLICY
    expect(p).not.toContain("'unsafe-eval'")
    expect(CSP_DIRECTIVES['script-src']).not.toContain("'unsafe-inline'")
    expect(p).not.toMatch(/https?:|wss?:|\*/)
    // every source is a keyword or a scheme of locally made data
    for (const [name, sources] of Object.entries(CSP_DIRECTIVES)) {
      for (const s of sources) expect(["'self'", "'none'", "'wasm-unsafe-eval'", "'unsafe-inline'", 'data:', 'blob:'], `${name} ${s}`).toContain(s)
    }
    expect(CSP_DIRECTIVES['default-src']).toEqual(["'self'"])
    expect(CSP_DIRECTIVES['object-src']).toEqual(["'none'"])
    expect(CSP_DIRECTIVES['base-uri']).toEqual(["'none'"])
    expect(CSP_DIRECTIVES['form-action']).toEqual(["'none'"])
    expect(CSP_DIRECTIVES['script-src']).toContain("'wasm-unsafe-eval'") // the tfjs wasm backend
    expect(p).toMatch(/^default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:;/)
  })

  test('the plugin runs for `vite build` only and puts the <meta> before any script', () => {
    const plugin = cspPlugin()
    expect(plugin.apply).toBe('build')
    const html = transform(plugin, SOURCE_HTML)
    const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`
    expect(html).toContain(meta)
    expect(html.indexOf(meta)).toBeGreaterThan(html.indexOf('<meta charset'))
    expect(html.indexOf(meta)).toBeLessThan(html.indexOf('<script'))
    expect(injectCsp(html)).toBe(html) // once only
    expect(injectCsp('<html><head><script src="/a.js"></script></head></html>')).toMatch(/^<html><head>\n {4}<meta http-equiv="Content-Security-Policy"/)
  })

  test('vite.config: the plugin is installed and `vite preview` sends the same policy as a header', () => {
    const cfg = viteConfig as { plugins?: unknown[]; preview?: { headers?: Record<string, string> } }
    const names = (cfg.plugins ?? []).flat(3).map((p) => (p as Plugin | null)?.name)
    expect(names).toContain('dds-content-security-policy')
    expect(cfg.preview?.headers?.['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(previewSecurityHeaders['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
  })

  test('vite.config: the dev server and `vite preview` make the page cross-origin isolated (COOP same-origin, COEP require-corp)', () => {
    const cfg = viteConfig as { server?: { headers?: Record<string, string> }; preview?: { headers?: Record<string, string> } }
    for (const headers of [cfg.server?.headers, cfg.preview?.headers]) {
      expect(headers?.['Cross-Origin-Opener-Policy']).toBe('same-origin')
      expect(headers?.['Cross-Origin-Embedder-Policy']).toBe('require-corp')
    }
  })
})
