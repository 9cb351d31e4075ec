/**
 * WeChat subscribe messages (mini program only). WeChat shows its dialog only inside a user's tap,
 * so a page fetches the template ids when it loads (`prepare`) and asks at the tap (`ask`), then
 * tells the server what the user allowed: each "accept" lets the server send one message of that
 * template; a refusal makes those messages go by SMS. Never throws; elsewhere (H5, App) it does nothing.
 */
import { ok, type Api } from '../api/client'

export type Moment = 'booked' | 'accepted'
export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter'
type Answer = Record<string, string>
export type RequestSubscribe = (o: { tmplIds: string[]; success?: (r: Answer) => void; complete?: () => void }) => void

export interface SubscribePort {
  templates: (moment: Moment) => Promise<string[]>
  record: (results: Record<string, SubscribeResult>) => Promise<unknown>
}

export function apiPort(api: Api): SubscribePort {
  return {
    templates: async (moment) =>
      (await ok(api.raw.GET('/api/v1/me/wechat-subscriptions/templates', { params: { query: { moment } } }))).template_ids,
    record: (results) => ok(api.raw.POST('/api/v1/me/wechat-subscriptions', { body: { results } })),
  }
}

/** wx.requestSubscribeMessage where it exists (the mini program), else nothing. */
export function wechatRequest(): RequestSubscribe | null {
  const wx = (globalThis as { wx?: { requestSubscribeMessage?: RequestSubscribe } }).wx
  return typeof wx?.requestSubscribeMessage === 'function' ? wx.requestSubscribeMessage.bind(wx) : null
}

const RESULTS = new Set<string>(['accept', 'reject', 'ban', 'filter'])

export function useSubscribe(port: SubscribePort, moment: Moment, request: RequestSubscribe | null = wechatRequest()) {
  let ids: string[] = []

  async function prepare(): Promise<void> {
    if (!request) return
    try {
      ids = await port.templates(moment)
    } catch {
      ids = [] // no subscription asked: messages go by SMS
    }
  }

  /** Call first thing in the tap handler; resolves when the user has answered (or at once). */
  function ask(): Promise<void> {
    if (!request || !ids.length) return Promise.resolve()
    return new Promise((resolve) => {
      try {
        request({
          tmplIds: ids,
          success: (answer) => {
            const results: Record<string, SubscribeResult> = {}
            for (const id of ids) if (RESULTS.has(answer[id])) results[id] = answer[id] as SubscribeResult
            if (Object.keys(results).length) port.record(results).catch(() => undefined)
          },
          complete: () => resolve(),
        })
      } catch {
        resolve()
      }
    })
  }

  return { prepare, ask }
}
