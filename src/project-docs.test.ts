// The project's documents stand on their own: every file they (or the code, the presets, the scripts) name
// exists in the repository, every Markdown link and anchor resolves, every URL parameter the app reads is
// documented, and the licence and citation agree with package.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SKIP = new Set(['node_modules', '.git', 'build', 'dist', 'test-results', 'playwright-report'])

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    SKIP.has(e.name) ? [] : e.isDirectory() ? walk(join(dir, e.name)) : /\.(md|ts|tsx|mjs|js|json|cff|yaml)$|^Dockerfile$/.test(e.name) ? [join(dir, e.name)] : [])
}
const files = walk(ROOT)
const text = (f: string) => readFileSync(f, 'utf8')
const rel = (f: string) => relative(ROOT, f)

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes */
const slug = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')

describe('project documents', () => {
  test('every *.md file named anywhere exists in the repository', () => {
    const missing: string[] = []
    for (const f of files) {
      for (const m of text(f).matchAll(/(?<![\w/.-])((?:\.{1,2}\/)?[\w-]+(?:\/[\w-]+)*\.md)\b/g)) {
        const name = m[1]
        const found = [join(dirname(f), name), join(ROOT, name), join(ROOT, 'docs', name)].some((p) => existsSync(p))
        if (!found) missing.push(`${rel(f)}: ${name}`)
      }
    }
    expect(missing).toEqual([])
  })

  test('every Markdown link in README.md and docs/ resolves, anchors included', () => {
    const broken: string[] = []
    const docs = [join(ROOT, 'README.md'), ...files.filter((f) => rel(f).startsWith('docs/') && f.endsWith('.md'))]
    for (const f of docs) {
      for (const m of text(f).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]
        if (/^(https?:|mailto:)/.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path ? join(dirname(f), path) : f
        if (!existsSync(file)) { broken.push(`${rel(f)}: ${target}`); continue }
        if (anchor && file.endsWith('.md')) {
          const anchors = [...text(file).matchAll(/^#+\s+(.*)$/gm)].map((h) => slug(h[1]))
          if (!anchors.includes(anchor)) broken.push(`${rel(f)}: ${target} (no such heading)`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  test('every URL parameter the app reads is documented in docs/url-parameters.md', () => {
    const doc = text(join(ROOT, 'docs', 'url-parameters.md'))
    const read = new Set<string>()
    for (const f of files.filter((x) => rel(x).startsWith('src/') && !/\.test\.tsx?$/.test(x))) {
      const s = text(f)
      if (!s.includes('URLSearchParams(location.search)')) continue
      for (const m of s.matchAll(/\.get\('([\w-]+)'\)/g)) read.add(m[1])
    }
    expect(read.size).toBeGreaterThanOrEqual(6)
    for (const p of read) expect(doc, p).toContain(`| \`${p}\` |`)
  })

  test('LICENSE, CITATION.cff and package.json agree', () => {
    const pkg = JSON.parse(text(join(ROOT, 'package.json')))
    const cff = text(join(ROOT, 'CITATION.cff'))
    expect(text(join(ROOT, 'LICENSE'))).toMatch(/^MIT License\n/)
    expect(pkg.license).toBe('MIT')
    expect(cff).toMatch(/^cff-version: 1\.2\.0$/m)
    expect(cff).toMatch(/^license: MIT$/m)
    expect(cff).toContain(`\nversion: "${pkg.version}"\n`)
  })
})
