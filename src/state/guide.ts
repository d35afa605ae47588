// Whether this browser has seen the first-visit guide (src/ui/Guide.tsx). Without storage (private mode) the
// guide shows on every visit: better than never.
import { storage } from './autosave'
import { frameDrawnSince } from './view-ready'

/** localStorage key: set once the guide has been closed */
export const GUIDE_SEEN_KEY = 'dds.guide.seen.v1'

export const guideSeen = (): boolean => storage()?.getItem(GUIDE_SEEN_KEY) === '1'

export function markGuideSeen(): void {
  try { storage()?.setItem(GUIDE_SEEN_KEY, '1') } catch { /* full: it shows again next time */ }
}

/** resolves true when the guide should open by itself: a first visit, once the view has drawn its first frame */
export async function guideDue(): Promise<boolean> {
  if (guideSeen()) return false
  await frameDrawnSince(0, 8000)
  return true
}
