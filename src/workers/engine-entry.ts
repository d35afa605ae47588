// The engine entry points the worker uses.
export { createSession } from '../engine/session'
export { buildVolume } from '../engine/muography/volume'
