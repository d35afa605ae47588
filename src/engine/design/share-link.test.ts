// Share links: every preset survives encode → decode (without its results block); bombs, garbage and cut-off
// links are rejected quickly with a clear message, never an exception.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { importDesignText, type ParseResult } from './import'
import {
  decodeShareFragment, encodeShareFragment, hasShareFragment, MAX_SHARE_CHARS, SHARE_KEY, ShareLinkError,
} from './share-link'
import type { Design } from './schema'

const PRESET_DIR = fileURLToPath(new URL('../../../public/presets/', import.meta.url))
const presetFiles = readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()

function design(file: string): Design {
  const r = importDesignText(readFileSync(PRESET_DIR + file, 'utf8'))
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`)
  return r.design
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate-raw')
  const w = cs.writable.getWriter()
  void w.write(bytes as Uint8Array<ArrayBuffer>)
  void w.close()
  return new Uint8Array(await new Response(cs.readable).arrayBuffer())
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url')

function onlyError(r: ParseResult): string {
  expect(r.ok).toBe(false)
  if (r.ok) return ''
  expect(r.errors).toHaveLength(1)
  expect(r.errors[0].path).toBe('')
  return r.errors[0].message
}

describe('round trip', () => {
  test.each(presetFiles)('%s', async (file) => {
    const d = design(file)
    const withResults: Design = { ...d, results: { steps: 60, final_loss: 0.1, loss_history: [{ step: 0, loss: 1 }] } }
    const frag = await encodeShareFragment(withResults)
    expect(frag.startsWith(`${SHARE_KEY}=`)).toBe(true)
    expect(frag).toMatch(/^d1=[A-Za-z0-9_-]+$/) // URL-safe as it stands
    expect(frag.length).toBeLessThan(4000)
    const r = await decodeShareFragment(`#${frag}`)
    expect(r.ok ? null : r.errors).toBeNull()
    if (!r.ok) return
    const { results: _dropped, ...expected } = d
    expect(r.design).toEqual(expected)
    expect('results' in r.design).toBe(false)
  })

  test('the fragment may carry other parameters', async () => {
    const frag = await encodeShareFragment(design('u-lorry.json'))
    expect(hasShareFragment(`#view=top&${frag}&embed=1`)).toBe(true)
    expect(hasShareFragment('#view=top')).toBe(false)
    expect((await decodeShareFragment(`#view=top&${frag}&embed=1`)).ok).toBe(true)
  })

  test('a design too large for a link: encode throws ShareLinkError, a clear message', async () => {
    const d = design('lead-in-beryllium.json')
    // incompressible text
    let seed = 1
    const noise = Array.from({ length: 200_000 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90))).join('')
    const big = { ...d, description: noise.replace(/["\\]/g, 'x') } as Design
    await expect(encodeShareFragment(big)).rejects.toThrow(ShareLinkError)
    await expect(encodeShareFragment(big)).rejects.toThrow(/too large for a link .*export it as a file instead/)
  })
})

describe('hostile links', () => {
  test('a deflate bomb (50 MB of spaces, just under the length cap) is abandoned at 5 MB, quickly', async () => {
    const data = b64url(await deflateRaw(new Uint8Array(50_000_000).fill(32)))
    expect(data.length).toBeLessThanOrEqual(MAX_SHARE_CHARS) // so the streaming cap, not the length cap, stops it
    const t0 = performance.now()
    const msg = onlyError(await decodeShareFragment(`d1=${data}`))
    expect(performance.now() - t0).toBeLessThan(2000)
    expect(msg).toBe('the share link expands to more than 5 MB (5000000 bytes), the design file limit; it is not a design')
  })

  test('a bigger bomb is refused by its length alone', async () => {
    const data = b64url(await deflateRaw(new Uint8Array(200_000_000).fill(32)))
    const t0 = performance.now()
    expect(onlyError(await decodeShareFragment(`d1=${data}`))).toMatch(/^the share link is too long \(\d+ characters of data; the limit is 65536\)$/)
    expect(performance.now() - t0).toBeLessThan(50)
  })

  test('garbage: characters outside base64url, random base64, valid deflate of non-JSON, of non-UTF-8, empty', async () => {
    expect(onlyError(await decodeShareFragment('#d1=<script>alert(1)</script>'))).toMatch(/^the share link is damaged/)
    expect(onlyError(await decodeShareFragment('#d1=SGVsbG8sIHdvcmxkIQ'))).toMatch(/^the share link is damaged \(cut short or not compressed data\)/)
    expect(onlyError(await decodeShareFragment(`#d1=${b64url(await deflateRaw(new TextEncoder().encode('hello')))}`))).toMatch(/^not valid JSON/)
    expect(onlyError(await decodeShareFragment(`#d1=${b64url(await deflateRaw(new Uint8Array([0x7b, 0xff, 0x7d])))}`))).toBe('the share link is damaged: its contents are not text')
    expect(onlyError(await decodeShareFragment('#d1='))).toBe('the share link is empty')
    expect(onlyError(await decodeShareFragment(''))).toBe('the link carries no design (no "#d1=" part)')
    expect(onlyError(await decodeShareFragment(undefined as unknown as string))).toBe('no share link data')
  })

  test('a link cut short at any point is an error, never an exception', async () => {
    const frag = await encodeShareFragment(design('small-walls.json'))
    for (let n = 3; n < frag.length; n += Math.max(1, Math.floor(frag.length / 60))) {
      const r = await decodeShareFragment(frag.slice(0, n))
      expect(r.ok, `cut at ${n}`).toBe(false)
      if (!r.ok) expect(r.errors[0].message.length).toBeGreaterThan(0)
    }
  })

  test('a valid link to an invalid design: the importer\'s errors, with paths', async () => {
    const d = JSON.parse(readFileSync(`${PRESET_DIR}lead-in-beryllium.json`, 'utf8'))
    d.detector.panels[0].efficiency = 2
    d.version = 9
    const data = b64url(await deflateRaw(new TextEncoder().encode(JSON.stringify(d))))
    const r = await decodeShareFragment(`d1=${data}`)
    expect(r.ok ? [] : r.errors).toEqual([{ path: 'version', message: expect.stringContaining('newer than this app') }])
    const p = b64url(await deflateRaw(new TextEncoder().encode(JSON.stringify(d).replace('{', '{"__proto__":{"x":1},'))))
    expect((await decodeShareFragment(`d1=${p}`)).ok).toBe(false)
  })
})

test('200 mutated links (cut, characters replaced, inserted, deleted): a design or a clear error, never a throw', async () => {
  const frags = await Promise.all(['small-walls.json', 'atlas-like-lar.json', 'u-lorry.json'].map((f) => encodeShareFragment(design(f))))
  const edit = fc.record({
    which: fc.nat(frags.length - 1),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    del: fc.nat(40),
    ins: fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/)),
  })
  await fc.assert(
    fc.asyncProperty(edit, async ({ which, at, del, ins }) => {
      const f = frags[which]
      const i = 3 + Math.floor((f.length - 3) * at)
      const r = await decodeShareFragment(f.slice(0, i) + ins + f.slice(i + del))
      if (r.ok) expect(importDesignText(JSON.stringify(r.design)).ok).toBe(true)
      else for (const e of r.errors) expect(e.message.length).toBeGreaterThan(0)
    }),
    { numRuns: 200, seed: 3 },
  )
})
