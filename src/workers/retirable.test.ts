// Calls to a retired worker settle: a hand-made remote whose answers are held back, retired mid-call.
import { describe, expect, it } from 'vitest'
import { EngineRetired, retirable } from './retirable'

function remote() {
  const pending: ((v: number) => void)[] = []
  return {
    pending,
    api: {
      answer: (x: number) => Promise.resolve(x * 2),
      never: () => new Promise<number>(() => {}),
      later: () => new Promise<number>((r) => pending.push(r)),
    },
  }
}

describe('retirable', () => {
  it('passes answers through while the worker lives', async () => {
    const r = retirable(remote().api)
    await expect(r.api.answer(21)).resolves.toBe(42)
  })

  it('rejects a call in flight when the worker is retired, and every later call', async () => {
    const r = retirable(remote().api)
    const call = r.api.never()
    r.retire('the engine was restarted before it answered')
    await expect(call).rejects.toThrow('the engine was restarted before it answered')
    await expect(call).rejects.toBeInstanceOf(EngineRetired)
    await expect(r.api.answer(1)).rejects.toThrow('restarted')
  })

  it('keeps an answer that came before the retirement', async () => {
    const w = remote()
    const r = retirable(w.api)
    const call = r.api.later()
    w.pending[0](7)
    await expect(call).resolves.toBe(7)
    r.retire('gone')
  })
})
