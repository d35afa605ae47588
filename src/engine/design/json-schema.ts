// The design file's JSON Schema (draft 2020-12), generated from the zod schema so the two cannot disagree on
// a field or a range. Shipped as public/design.schema.json (scripts/make-schema.ts) for editors and other tools;
// cross-field checks (voxel grid, panel order) are the validator's alone.
import { z } from 'zod'
import { CURRENT_VERSION } from './common'
import { designSchema } from './schema'

export const SCHEMA_FILE = 'design.schema.json'

export function designJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(designSchema, { io: 'input' }),
    title: `Detector Design Studio design file, version ${CURRENT_VERSION}`,
    description: 'A muography or calorimeter design (docs/design-file.md). `dds validate FILE` also runs the cross-field checks.',
  }
}
