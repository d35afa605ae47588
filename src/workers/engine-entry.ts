// The engine entry point the worker uses.
export { createSession } from '../engine/session'
