// Share links: the design (without its `results` block) as JSON → deflate-raw (CompressionStream, native in
// browsers and Node ≥ 20) → base64url, in the URL fragment as `#d1=<data>`. The fragment never reaches a server.
// Decoding treats the link as untrusted: the encoded length is capped before anything is decoded, the inflated
// size is capped while streaming (a deflate bomb is abandoned at the cap, never held in memory), and the result
// goes through importDesignText like any imported file. decodeShareFragment never throws.
import { formatBytes, MAX_DESIGN_BYTES } from './json-guard'
import { importDesignText } from './import'
import type { DesignError, ParseResult } from './parse'
import type { Design } from './schema'

/** the fragment key; a future encoding gets a new one (d2=…) and this one keeps decoding */
export const SHARE_KEY = 'd1'
/** longest encoded data accepted (characters of base64url): well past any real design, far below a URL's limits */
export const MAX_SHARE_CHARS = 65_536
/** largest inflated JSON accepted: the design file limit */
export const MAX_SHARE_INFLATED_BYTES = MAX_DESIGN_BYTES

export class ShareLinkError extends Error {
  override name = 'ShareLinkError'
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null
  let bin: string
  try {
    bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
  } catch {
    return null
  }
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

async function collect(readable: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let n = 0
  for (const reader = readable.getReader(); ;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    n += value.byteLength
  }
  const out = new Uint8Array(n)
  let o = 0
  for (const c of chunks) { out.set(c, o); o += c.byteLength }
  return out
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate-raw')
  const writer = cs.writable.getWriter()
  void writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close()).catch(() => {})
  return collect(cs.readable)
}

type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; error: DesignError }

/** inflate, giving up as soon as the output passes `cap` bytes */
async function inflateCapped(bytes: Uint8Array, cap: number): Promise<Inflated> {
  const ds = new DecompressionStream('deflate-raw')
  const writer = ds.writable.getWriter()
  const reader = ds.readable.getReader()
  // errors surface through the reader; these promises must not reject unhandled
  writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close()).catch(() => {})
  writer.closed.catch(() => {})
  const chunks: Uint8Array[] = []
  let n = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      n += value.byteLength
      if (n > cap) {
        reader.cancel().catch(() => {})
        writer.abort().catch(() => {})
        return {
          ok: false,
          error: { path: '', message: `the share link expands to more than ${formatBytes(cap)} (${cap} bytes), the design file limit; it is not a design` },
        }
      }
      chunks.push(value)
    }
  } catch {
    return { ok: false, error: { path: '', message: 'the share link is damaged (cut short or not compressed data); copy the whole link again' } }
  }
  const out = new Uint8Array(n)
  let o = 0
  for (const c of chunks) { out.set(c, o); o += c.byteLength }
  return { ok: true, bytes: out }
}

/**
 * The fragment for a design, without the leading '#': `d1=<base64url of deflate-raw JSON>`. The `results` block
 * (history, metrics) is dropped. Throws ShareLinkError when the design is too large for a link (save a file instead).
 */
export async function encodeShareFragment(design: Design): Promise<string> {
  const { results: _results, ...rest } = design
  const data = toBase64Url(await deflate(new TextEncoder().encode(JSON.stringify(rest))))
  if (data.length > MAX_SHARE_CHARS) {
    throw new ShareLinkError(`this design is too large for a link (${data.length} characters compressed; the limit is ${MAX_SHARE_CHARS}): export it as a file instead`)
  }
  return `${SHARE_KEY}=${data}`
}

/** The encoded data in a fragment ('#d1=…', 'd1=…', or 'd1=…&other=…'), or null when there is none. */
export function shareData(fragment: string): string | null {
  const f = fragment.startsWith('#') ? fragment.slice(1) : fragment
  for (const part of f.split('&')) {
    if (part.startsWith(`${SHARE_KEY}=`)) return part.slice(SHARE_KEY.length + 1)
  }
  return null
}

/** Whether a URL fragment (location.hash) carries a shared design. */
export function hasShareFragment(fragment: string): boolean {
  return shareData(fragment) !== null
}

const fail = (message: string): ParseResult => ({ ok: false, errors: [{ path: '', message }] })

/** Decode a share-link fragment into a validated design, or errors. Never throws. */
export async function decodeShareFragment(fragment: string): Promise<ParseResult> {
  if (typeof fragment !== 'string') return fail('no share link data')
  const data = shareData(fragment)
  if (data === null) return fail(`the link carries no design (no "#${SHARE_KEY}=" part)`)
  if (data.length > MAX_SHARE_CHARS) {
    return fail(`the share link is too long (${data.length} characters of data; the limit is ${MAX_SHARE_CHARS})`)
  }
  if (data.length === 0) return fail('the share link is empty')
  const bytes = fromBase64Url(data)
  if (!bytes) return fail('the share link is damaged (characters outside base64url, or cut short); copy the whole link again')
  try {
    const inflated = await inflateCapped(bytes, MAX_SHARE_INFLATED_BYTES)
    if (!inflated.ok) return { ok: false, errors: [inflated.error] }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes)
    } catch {
      return fail('the share link is damaged: its contents are not text')
    }
    return importDesignText(text)
  } catch (e) {
    // CompressionStream missing or some other platform failure: still an error, not an exception
    return fail(`could not decode the share link: ${e instanceof Error ? e.message : String(e)}`)
  }
}
