// Calls to a worker that settle when the worker is retired. Comlink keeps a call's promise pending until the
// worker answers; a worker terminated by the supervisor (hung, crashed, GPU lost) never answers, so whatever
// awaited it (a loss scan's button, an export) would wait forever. Retiring rejects every call still in flight,
// and any made later, with an EngineRetired error that says why.

/** a call cut short because its worker was retired; the supervisor has already reported why */
export class EngineRetired extends Error {
  override name = 'EngineRetired'
}

export interface Retirable<T extends object> {
  /** the same methods, each racing the worker's retirement */
  readonly api: T
  /** reject every call in flight and every later one */
  retire(reason: string): void
}

type Method = (...args: unknown[]) => Promise<unknown>

export function retirable<T extends object>(remote: T): Retirable<T> {
  let fail: (e: EngineRetired) => void = () => {}
  let retired: EngineRetired | null = null
  const gone = new Promise<never>((_, reject) => { fail = reject })
  gone.catch(() => undefined) // rejected with no call in flight: nothing awaits it
  const api = new Proxy(remote, {
    get(target, prop) {
      const member = (target as Record<string | symbol, unknown>)[prop]
      if (typeof prop === 'symbol') return member // Comlink's own handles (releaseProxy)
      return (...args: unknown[]) => (retired ? Promise.reject(retired) : Promise.race([(member as Method)(...args), gone]))
    },
  })
  return {
    api,
    retire(reason) {
      retired ??= new EngineRetired(reason)
      fail(retired)
    },
  }
}

