/**
 * A minimal fetch/Request/Response/Headers built on `uni.request`, for runtimes without
 * fetch (WeChat mini program). Only what openapi-fetch and our client use is implemented.
 */
type HeaderInit = Record<string, string> | MiniHeaders | Headers | Array<[string, string]> | undefined

export class MiniHeaders {
  private map = new Map<string, string>()
  constructor(init?: HeaderInit) {
    if (!init) return
    if (typeof (init as { forEach?: unknown }).forEach === 'function' && !Array.isArray(init))
      (init as MiniHeaders).forEach((v, k) => this.set(k, v))
    else if (Array.isArray(init)) init.forEach(([k, v]) => this.append(k, v))
    else Object.keys(init).forEach((k) => this.set(k, (init as Record<string, string>)[k]))
  }
  get(name: string): string | null {
    const v = this.map.get(name.toLowerCase())
    return v === undefined ? null : v
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), String(value))
  }
  append(name: string, value: string): void {
    const k = name.toLowerCase()
    const old = this.map.get(k)
    this.map.set(k, old === undefined ? String(value) : `${old}, ${value}`)
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase())
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase())
  }
  forEach(cb: (value: string, key: string) => void): void {
    this.map.forEach((v, k) => cb(v, k))
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries()
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries()
  }
  toObject(): Record<string, string> {
    const o: Record<string, string> = {}
    this.map.forEach((v, k) => (o[k] = v))
    return o
  }
}

export interface MiniRequestInit {
  method?: string
  headers?: HeaderInit
  body?: string | null
  [k: string]: unknown
}

export class MiniRequest {
  readonly url: string
  readonly method: string
  readonly headers: MiniHeaders
  private _body: string | null
  constructor(input: string | MiniRequest, init: MiniRequestInit = {}) {
    if (input instanceof MiniRequest) {
      this.url = input.url
      this.method = (init.method || input.method).toUpperCase()
      this.headers = new MiniHeaders(init.headers || input.headers)
      this._body = init.body !== undefined ? (init.body ?? null) : input._body
    } else {
      this.url = input
      this.method = (init.method || 'GET').toUpperCase()
      this.headers = new MiniHeaders(init.headers)
      this._body = init.body ?? null
    }
  }
  clone(): MiniRequest {
    return new MiniRequest(this)
  }
  async text(): Promise<string> {
    return this._body ?? ''
  }
}

export class MiniResponse {
  readonly status: number
  readonly ok: boolean
  readonly headers: MiniHeaders
  readonly body: null = null
  private _text: string
  constructor(body: string | null, init: { status?: number; headers?: HeaderInit } = {}) {
    this.status = init.status ?? 200
    this.ok = this.status >= 200 && this.status < 300
    this.headers = new MiniHeaders(init.headers)
    this._text = body ?? ''
  }
  clone(): MiniResponse {
    return new MiniResponse(this._text, { status: this.status, headers: this.headers })
  }
  async text(): Promise<string> {
    return this._text
  }
  async json(): Promise<unknown> {
    return JSON.parse(this._text)
  }
}

export class MiniFormData {}

/** The subset of `uni.request` we use (injectable for tests). */
export type UniRequestFn = (opts: {
  url: string
  method: string
  header: Record<string, string>
  data?: string
  dataType: string
  responseType: string
  timeout?: number
  success: (res: { statusCode: number; data: unknown; header: Record<string, string> }) => void
  fail: (err: { errMsg?: string }) => void
}) => unknown

/** fetch(request) implemented with uni.request. Accepts a native Request or a MiniRequest. */
export function createUniFetch(uniRequest: UniRequestFn, timeout = 15000) {
  return async function uniFetch(input: MiniRequest | Request | string, init?: MiniRequestInit): Promise<Response> {
    const req = typeof input === 'string' ? new MiniRequest(input, init) : input
    const body = await req.text()
    const header: Record<string, string> = {}
    req.headers.forEach((v: string, k: string) => (header[k] = v))
    return new Promise((resolve, reject) => {
      uniRequest({
        url: req.url,
        method: req.method,
        header,
        data: body || undefined,
        dataType: 'text', // keep the raw text: the client parses it
        responseType: 'text',
        timeout,
        success: (res) => {
          const text = typeof res.data === 'string' ? res.data : res.data == null ? '' : JSON.stringify(res.data)
          resolve(new MiniResponse(text, { status: res.statusCode, headers: res.header || {} }) as unknown as Response)
        },
        fail: (err) => reject(new TypeError(err?.errMsg || 'request:fail')),
      })
    })
  }
}

/** Define Headers/Request/Response/FormData on globalThis where missing (mini programs). */
export function installFetchGlobals(): void {
  const g = globalThis as Record<string, unknown>
  if (typeof g.Headers === 'undefined') g.Headers = MiniHeaders
  if (typeof g.Request === 'undefined') g.Request = MiniRequest
  if (typeof g.Response === 'undefined') g.Response = MiniResponse
  if (typeof g.FormData === 'undefined') g.FormData = MiniFormData
}
