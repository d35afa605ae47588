// The engine and the worker read tensors back only asynchronously (core/tensor.ts readBack): a synchronous
// read-back on the webgpu backend inside a worker returns zeros and then loses the device.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const SYNC_READ = /\.\s*(dataSync|arraySync|bufferSync)\s*\(/

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return sources(p)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : []
  })
}

describe('no synchronous tensor read-back', () => {
  test('the pattern catches the calls it must', () => {
    for (const call of ['t.dataSync()', 'x.arraySync ()', 'grads[k].bufferSync()', 'a\n  .dataSync()']) expect(SYNC_READ.test(call)).toBe(true)
    expect(SYNC_READ.test('await t.data()')).toBe(false)
  })

  test('src/engine and src/workers (non-test sources) call none of dataSync, arraySync, bufferSync', () => {
    const files = ['src/engine', 'src/workers'].flatMap(sources)
    expect(files.length).toBeGreaterThan(50)
    const offenders = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (SYNC_READ.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])))
    expect(offenders).toEqual([])
  })
})
