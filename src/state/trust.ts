// The UI state of the studio's safety nets (restore notice, share link, saves, engine restarts); the nets
// themselves live in ./boot.ts, ./autosave-timer.ts, ./share.ts, ./undo-apply.ts, ./engine-life.ts, ./rails.ts.
import { create } from 'zustand'

export interface TrustState {
  /** ISO time of the autosave that was restored at start (the notice shows while set) */
  restoredAt: string | null
  shareLink: string | null
  shareCopied: boolean | null
  /** last time work was saved locally (ms since epoch) */
  savedAt: number | null
  /** the engine is being restarted */
  restarting: boolean
  restarts: number
}

export const useTrust = create<TrustState>()(() => ({
  restoredAt: null, shareLink: null, shareCopied: null, savedAt: null, restarting: false, restarts: 0,
}))

export function dismissRestored(): void {
  useTrust.setState({ restoredAt: null })
}
