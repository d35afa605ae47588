// Where the installed package lies and which version it is. Found by walking up from this module, so it holds
// for the TypeScript source (src/cli/) and for the built CLI (one bundle in build/cli/) alike.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'detector-design-studio'

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${fileURLToPath(import.meta.url)}`)
    dir = up
  }
}

/** the package's root folder (package.json, public/presets/) */
export const PACKAGE_ROOT = findRoot()

/** the version in package.json */
export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
