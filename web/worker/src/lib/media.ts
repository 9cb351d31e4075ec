import { sessionConfig } from '@anjia/shared/src/uni/session'
import { mediaUrl } from './fieldwork'

/** A signed media link for <image>: H5 resolves "/api/…" against the router base (/worker/), so always absolute. */
export function mediaHref(url: string | null | undefined): string {
  return mediaUrl(sessionConfig().baseUrl || (typeof location !== 'undefined' ? location.origin : ''), url)
}
