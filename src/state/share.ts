// Share links: the live design (kinds/designs.ts) compressed into the URL fragment, copied to the clipboard or
// shown for copying by hand.
import { encodeShareFragment } from '../engine/design/share-link'
import { currentDesign, errorText } from './actions'
import { useStudio } from './store'
import { useTrust } from './trust'

export async function makeShareLink(): Promise<string> {
  const d = currentDesign()
  if (!d) throw new Error('no design loaded')
  const frag = await encodeShareFragment(d)
  return `${location.origin}${location.pathname}#${frag}`
}

export async function copyShareLink(): Promise<string | null> {
  let link: string
  try {
    link = await makeShareLink()
  } catch (e) {
    useStudio.setState({ alert: { title: 'Could not make a share link', errors: [{ path: '', message: errorText(e) }] } })
    return null
  }
  useTrust.setState({ shareLink: link, shareCopied: null })
  try {
    await navigator.clipboard.writeText(link)
    useTrust.setState({ shareCopied: true })
  } catch {
    useTrust.setState({ shareCopied: false }) // no clipboard permission: the link is shown for copying by hand
  }
  return link
}

export function closeShareLink(): void {
  useTrust.setState({ shareLink: null, shareCopied: null })
}
