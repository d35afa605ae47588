#!/usr/bin/env node
// Build the command line (src/cli/main.ts) into one plain-JavaScript file, build/cli/dds.mjs, the package's
// `dds` bin: no TypeScript loader at run time. npm packages stay imports (tfjs finds its .wasm files in
// node_modules). `node scripts/build-cli.mjs [--out FILE]`; scripts/setup.mjs runs it when the bundle is stale.
import { build } from 'esbuild'
import { chmodSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
export const CLI_BUNDLE = join(ROOT, 'build', 'cli', 'dds.mjs')

export async function buildCli(outfile = CLI_BUNDLE) {
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  })
  chmodSync(outfile, 0o755)
  return outfile
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out')
  const out = await buildCli(i > 0 ? resolve(process.argv[i + 1]) : CLI_BUNDLE)
  process.stderr.write(`built ${out}\n`)
}
