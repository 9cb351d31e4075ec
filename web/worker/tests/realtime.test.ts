import { describe, expect, it } from 'vitest'
import { AUTH_CLOSE_CODE, RealtimeClient, backoffDelay, wsUrl, type SocketHandlers } from '@anjia/shared/src/realtime/client'
import type { RealtimeEvent } from '@anjia/shared/src/realtime/client'

class FakeSockets {
  conns: { url: string; h: SocketHandlers; closed: boolean }[] = []
  connect = (url: string, h: SocketHandlers) => {
    const c = { url, h, closed: false }
    this.conns.push(c)
    return { close: () => (c.closed = true) }
  }
  get last() {
    return this.conns[this.conns.length - 1]
  }
  send(e: Record<string, unknown>) {
    this.last.h.onMessage(JSON.stringify(e))
  }
}

class FakeTimers {
  queue: { fn: () => void; ms: number; id: number }[] = []
  private n = 0
  set = (fn: () => void, ms: number) => {
    const id = ++this.n
    this.queue.push({ fn, ms, id })
    return id
  }
  clear = (id: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== id)
  }
  runNext() {
    const t = this.queue.shift()
    if (!t) throw new Error('no timer')
    t.fn()
    return t.ms
  }
}

function setup(token: string | null = 'tok') {
  const sockets = new FakeSockets()
  const timers = new FakeTimers()
  const events: RealtimeEvent[] = []
  const ready: boolean[] = []
  let auth = 0
  let tokenNow = token
  const client = new RealtimeClient({
    baseUrl: 'http://api.test:8000',
    getToken: () => tokenNow,
    connect: sockets.connect,
    onEvent: (e) => events.push(e),
    onReady: (r) => ready.push(r),
    onAuthFailed: async () => {
      auth++
      tokenNow = 'fresh'
    },
    setTimer: timers.set,
    clearTimer: timers.clear,
  })
  return { sockets, timers, events, ready, client, authCount: () => auth }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('wsUrl', () => {
  it('turns the API base into ws(s)', () => {
    expect(wsUrl('http://127.0.0.1:8000', 'a b', 0)).toBe('ws://127.0.0.1:8000/api/v1/ws?token=a%20b')
    expect(wsUrl('https://api.anjia.cn/', 't', 17)).toBe('wss://api.anjia.cn/api/v1/ws?token=t&last_event_id=17')
  })
  it('uses the page origin in H5', () => {
    expect(wsUrl('', 't', 0, { protocol: 'https:', host: 'x.cn' })).toBe('wss://x.cn/api/v1/ws?token=t')
    expect(wsUrl('', 't', 3, { protocol: 'http:', host: 'localhost:8051' })).toBe('ws://localhost:8051/api/v1/ws?token=t&last_event_id=3')
  })
})

describe('RealtimeClient', () => {
  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })

  it('delivers events and resumes from the last event id', () => {
    const { sockets, timers, events, ready, client } = setup()
    client.start()
    expect(sockets.conns).toHaveLength(1)
    expect(sockets.last.url).toBe('ws://api.test:8000/api/v1/ws?token=tok')
    sockets.last.h.onOpen()
    sockets.send({ type: 'ready', topics: ['user:1'] })
    expect(ready).toEqual([false])
    sockets.send({ id: 5, type: 'offer.created', payload: { offer_id: 1, order_id: 9 } })
    sockets.send({ id: 7, type: 'order.accepted', payload: { order_id: 9 } })
    expect(events.map((e) => e.id)).toEqual([5, 7])
    expect(client.lastEventId).toBe(7)

    sockets.last.h.onClose(1006, '')
    expect(client.status).toBe('waiting')
    expect(timers.runNext()).toBe(1000)
    expect(sockets.conns).toHaveLength(2)
    expect(sockets.last.url).toBe('ws://api.test:8000/api/v1/ws?token=tok&last_event_id=7')
    // the server replays; duplicates are dropped
    sockets.send({ id: 7, type: 'order.accepted', payload: { order_id: 9 } })
    sockets.send({ id: 8, type: 'offer.withdrawn', payload: { order_id: 9 } })
    sockets.send({ type: 'ready' })
    expect(events.map((e) => e.id)).toEqual([5, 7, 8])
    expect(ready).toEqual([false, true])
  })

  it('grows the delay on repeated failures and resets it after ready', () => {
    const { sockets, timers, client } = setup()
    client.start()
    sockets.last.h.onClose(1006, '')
    expect(timers.runNext()).toBe(1000)
    sockets.last.h.onClose(1006, '')
    expect(timers.runNext()).toBe(2000)
    sockets.last.h.onClose(1006, '')
    expect(timers.runNext()).toBe(4000)
    sockets.send({ type: 'ready' })
    sockets.last.h.onClose(1006, '')
    expect(timers.runNext()).toBe(1000)
    expect(sockets.conns).toHaveLength(5)
  })

  it('treats a throwing transport like a failed connection', () => {
    const { timers, client } = setup()
    let calls = 0
    ;(client as unknown as { opts: { connect: unknown } }).opts.connect = () => {
      calls++
      throw new Error('boom')
    }
    client.start()
    expect(calls).toBe(1)
    expect(timers.runNext()).toBe(1000)
    expect(calls).toBe(2)
  })

  it('refreshes the token after a 4401 close and reconnects with it', async () => {
    const { sockets, timers, client, authCount } = setup()
    client.start()
    sockets.last.h.onClose(AUTH_CLOSE_CODE, 'token_expired')
    await flush()
    expect(authCount()).toBe(1)
    expect(timers.runNext()).toBe(0)
    expect(sockets.last.url).toContain('token=fresh')
    // a second refusal in a row backs off
    sockets.last.h.onClose(AUTH_CLOSE_CODE, 'token_expired')
    await flush()
    expect(timers.runNext()).toBe(1000)
  })

  it('stops cleanly: closes the socket, cancels the retry, ignores late callbacks', () => {
    const { sockets, timers, events, client } = setup()
    client.start()
    const first = sockets.last
    first.h.onClose(1006, '')
    expect(timers.queue).toHaveLength(1)
    client.stop()
    expect(timers.queue).toHaveLength(0)
    expect(client.status).toBe('idle')

    client.start()
    const second = sockets.last
    client.stop()
    expect(second.closed).toBe(true)
    second.h.onMessage(JSON.stringify({ id: 99, type: 'offer.created' }))
    second.h.onClose(1000, '')
    expect(events).toHaveLength(0)
    expect(timers.queue).toHaveLength(0)
    // start is idempotent
    client.start()
    client.start()
    expect(sockets.conns).toHaveLength(3)
  })

  it('does not connect without a token', () => {
    const { sockets, client } = setup(null)
    client.start()
    expect(sockets.conns).toHaveLength(0)
    expect(client.active).toBe(false)
  })
})
