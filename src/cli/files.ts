// Files the CLI writes: checked before a long run (so a typo in --out costs nothing), written atomically
// (a temporary file in the same folder, then a rename: a reader never sees half a file), hashed for provenance.
import { createHash } from 'node:crypto'
import { accessSync, constants, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { UsageError } from './args'

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Throws a UsageError unless `file` can be written: its folder exists and is writable, and it is no folder. */
export function checkOutFile(file: string, flag = '--out'): void {
  if (file === '') throw new UsageError(`${flag} needs a file name`)
  const dir = dirname(file)
  let st
  try { st = statSync(dir) } catch { throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist`) }
  if (!st.isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is not a folder`)
  try { accessSync(dir, constants.W_OK) } catch { throw new UsageError(`${flag} ${file}: the folder ${dir} is not writable`) }
  let target
  try { target = statSync(file) } catch { return }
  if (target.isDirectory()) throw new UsageError(`${flag} ${file}: is a folder, give a file name`)
  try { accessSync(file, constants.W_OK) } catch { throw new UsageError(`${flag} ${file}: the file is not writable`) }
}

/** write `text` to `file` through a temporary file in the same folder and a rename */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, file)
  } catch (e) {
    try { unlinkSync(tmp) } catch { /* it was never written */ }
    throw e
  }
}
