// Write public/design.schema.json from the zod schema: `npm run schema` after a change to src/engine/design/.
// A unit test (json-schema.test.ts) fails while the shipped file is stale.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { designJsonSchema, SCHEMA_FILE } from '../src/engine/design/json-schema'

const out = join(fileURLToPath(new URL('..', import.meta.url)), 'public', SCHEMA_FILE)
writeFileSync(out, JSON.stringify(designJsonSchema(), null, 2) + '\n')
process.stderr.write(`wrote ${out}\n`)
