// The engine entry points the worker uses. DEV SEAM: until src/engine/session.ts and
// src/engine/muography/volume.ts land, these come from ./dev-fake.ts (to be deleted).
export { buildVolume, createSession } from './dev-fake'
