// Loads pages of the built mp-weixin bundle (dist/build/mp-weixin) the way WeChat does — app.js
// first, then each page's json/wxml/js through miniprogram-simulate (j-component) — with the `wx`
// APIs stubbed: wx.request answers from recorded API responses, storage is in memory, and there is
// no fetch (as in WeChat), so the pages go through uni.request. Page lifecycles (onLoad, onShow,
// onReady) are driven here, as j-component does not.
//
// node simulate.cjs <mp-weixin dir> <scenario.json>
//   scenario: {"responses": {"/api/v1/...": body}, "storage": {key: value},
//              "pages": [{"path": "pages/home/index", "query": {}}]}
// Prints {"pages": [{"path", "text", "calls", "unanswered"}], "errors": [...]} as JSON on stdout.
'use strict'
const fs = require('fs')
const path = require('path')
const { JSDOM } = require('jsdom')

const [root, scenarioFile] = process.argv.slice(2)
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'))
const errors = []
const log = (...a) => errors.push(a.map(String).join(' '))
console.error = log
console.warn = log

// j-component renders into a DOM; the page code itself must not rely on one (tests/web scan the bundle).
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true })
global.window = dom.window
global.document = dom.window.document
for (const k of ['Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'MutationObserver']) global[k] = dom.window[k]
// WeChat has no fetch nor WebSocket: the session falls back to uni.request / uni.connectSocket
for (const k of ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'WebSocket']) delete global[k]

const storage = { ...(scenario.storage || {}) }
let calls = []
let unanswered = []
let pending = 0
const screen = { windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667, pixelRatio: 2,
  statusBarHeight: 20, safeArea: { top: 20, bottom: 667, left: 0, right: 375, width: 375, height: 647 } }
global.wx = {
  request(opts) {
    const url = new URL(opts.url)
    const key = `${(opts.method || 'GET').toUpperCase()} ${url.pathname}`
    calls.push(key)
    const body = scenario.responses[url.pathname]
    if (body === undefined || (opts.method || 'GET').toUpperCase() !== 'GET') unanswered.push(key)
    const res = body === undefined
      ? { statusCode: 404, data: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found' }, header: {} }
      : { statusCode: 200, data: body, header: { 'Content-Type': 'application/json' } }
    pending++
    setTimeout(() => {
      pending--
      opts.success && opts.success(res)
      opts.complete && opts.complete(res)
    }, 0)
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {}, onChunkReceived() {} }
  },
  connectSocket: () => ({ onOpen() {}, onMessage() {}, onClose() {}, onError() {}, send() {}, close() {} }),
  getStorageSync: k => (k in storage ? storage[k] : ''),
  setStorageSync: (k, v) => { storage[k] = v },
  removeStorageSync: k => { delete storage[k] },
  setStorage: o => { storage[o.key] = o.data; o.success && o.success({}) },
  getSystemInfoSync: () => ({ ...screen, platform: 'devtools', language: 'zh_CN', SDKVersion: '3.4.0', theme: 'light' }),
  getWindowInfo: () => ({ ...screen }),
  getDeviceInfo: () => ({ platform: 'devtools', system: 'iOS 17.0', brand: 'devtools', model: 'iPhone' }),
  getAppBaseInfo: () => ({ language: 'zh_CN', SDKVersion: '3.4.0', theme: 'light', version: '8.0.50' }),
  getLaunchOptionsSync: () => ({ path: 'pages/home/index', query: {}, scene: 1001 }),
  getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop' } }),
  onAppShow() {}, onAppHide() {}, preloadAssets() {},
  setTabBarItem() {}, setNavigationBarTitle() {}, showToast() {}, hideToast() {}, showLoading() {}, hideLoading() {},
  stopPullDownRefresh() {}, navigateTo() {}, redirectTo() {}, switchTab() {}, reLaunch() {},
}

const simulate = require('miniprogram-simulate')
let app = null
const stack = []
global.App = options => { app = options }
global.getApp = () => app
global.getCurrentPages = () => stack
global.Page = () => { throw new Error('uni-app registers pages through Component(), not Page()') }

require(path.join(path.resolve(root), 'app.js'))
if (!app) throw new Error('app.js did not register the app (App() was not called)')
const launch = { path: 'pages/home/index', query: {}, scene: 1001 }
if (app.onLaunch) app.onLaunch.call(app, launch)
if (app.onShow) app.onShow.call(app, launch)

async function open(page) {
  const id = simulate.load(path.join(path.resolve(root), page.path), { compiler: 'simulate', rootPath: path.resolve(root) })
  const comp = simulate.render(id)
  comp.attach(document.createElement('parent-wrapper'))
  const inst = comp.instance
  inst.route = page.path
  inst.options = page.query || {}
  stack.push(inst)
  for (const hook of ['onLoad', 'onShow', 'onReady']) {
    if (typeof inst[hook] === 'function') inst[hook](hook === 'onLoad' ? { ...(page.query || {}) } : undefined)
  }
  // settled: no request in flight for three turns of 30 ms (a page chains calls: order, then its quote...)
  for (let quiet = 0, waited = 0; quiet < 3 && waited < 10000; waited += 30) {
    await simulate.sleep(30)
    quiet = pending ? 0 : quiet + 1
  }
  const out = { path: page.path, text: comp.dom.textContent, calls, unanswered }
  calls = []
  unanswered = []
  return out
}

;(async () => {
  const pages = []
  for (const page of scenario.pages) pages.push(await open(page))
  process.stdout.write(JSON.stringify({ pages, errors }))
  process.exit(0)
})().catch(e => {
  process.stderr.write(String((e && e.stack) || e))
  process.exit(1)
})
