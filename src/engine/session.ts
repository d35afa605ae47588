// Create the optimisation session for a design of either kind. The worker and the CLI both start here.
import type { Design } from './design/schema'
import { createCalorimeterSession } from './calorimeter/session'
import { MuographySession } from './muography/session'
import type { Session } from './session-types'

export type { Session } from './session-types'

export async function createSession(design: Design): Promise<Session> {
  if (design.kind === 'muography') return new MuographySession(design)
  return createCalorimeterSession(design)
}
