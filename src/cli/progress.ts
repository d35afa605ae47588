// Progress of a long command on stderr: a bar redrawn in place on a terminal; in a log file (a batch job),
// plain timestamped lines, one per tenth of the work and at least every 30 s, never a carriage return.

export interface Progress {
  update(done: number, detail?: string): void
  end(): void
}

export interface ProgressStream {
  isTTY?: boolean
  write(s: string): unknown
}

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z')

/** a message line as the CLI logs it: timestamped unless stderr is a terminal */
export function logLine(msg: string, stream: ProgressStream = process.stderr): void {
  stream.write(stream.isTTY ? `${msg}\n` : `${stamp()} ${msg}\n`)
}

export function createProgress(label: string, total: number, stream: ProgressStream = process.stderr, now = () => Date.now()): Progress {
  if (stream.isTTY) {
    let drawn = false
    return {
      update(done, detail = '') {
        const w = 30
        const k = Math.round((Math.min(done, total) / total) * w)
        stream.write(`\r${label} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${total} ${detail}   `)
        drawn = true
      },
      end() { if (drawn) stream.write('\n') },
    }
  }
  let lastTenth = -1
  let lastAt = -Infinity
  return {
    update(done, detail = '') {
      const tenth = Math.floor((10 * done) / total)
      const t = now()
      if (tenth === lastTenth && t - lastAt < 30_000) return
      lastTenth = tenth
      lastAt = t
      stream.write(`${stamp()} ${label} ${done}/${total}${detail ? ` ${detail}` : ''}\n`)
    },
    end() {},
  }
}
