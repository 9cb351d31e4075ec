// The mini program's AppID comes from settings, not from manifest.json: WECHAT_APPID for the customer
// app (the one the server's code2session uses), WECHAT_WORKER_APPID for the worker app — from the
// environment or the repository's .env, as the server reads them. An mp-weixin build writes it into
// project.config.json, where WeChat's developer tools and miniprogram-ci read it; unset, uni-app's
// `touristappid` stays (what `make run` builds).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const APPID_SETTING = { customer: 'WECHAT_APPID', worker: 'WECHAT_WORKER_APPID' }
const APPID = /^wx[0-9a-f]{16}$/

/** KEY=VALUE lines of a .env file (comments, blank lines and optional quotes as pydantic-settings reads them). */
export function readDotEnv(file) {
  if (!existsSync(file)) return {}
  const out = {}
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/)
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return out
}

/** The AppID setting of an app: the environment first, then <repo>/.env; '' when unset. Throws on a malformed one. */
export function mpAppId(app, env = process.env, dotEnvFile = fileURLToPath(new URL('../../../.env', import.meta.url))) {
  const key = APPID_SETTING[app]
  if (!key) return ''
  const value = (env[key] ?? readDotEnv(dotEnvFile)[key] ?? '').trim()
  if (value && !APPID.test(value)) throw new Error(`${key}=${value} is not a mini program AppID (wx + 16 hex digits)`)
  return value
}

/** Writes the AppID into <outDir>/project.config.json; returns whether it did. */
export function writeMpAppId(outDir, appid) {
  const file = join(outDir, 'project.config.json')
  if (!appid || !existsSync(file)) return false
  const project = JSON.parse(readFileSync(file, 'utf8'))
  project.appid = appid
  writeFileSync(file, JSON.stringify(project, null, 2))
  return true
}

/** The vite plugin of an app's mp-weixin builds (build and `uni -p mp-weixin` watch alike). */
export function mpAppIdPlugin(appDir) {
  const app = basename(appDir)
  let appid = ''
  return {
    name: 'anjia:mp-appid',
    configResolved() {
      if (process.env.UNI_PLATFORM === 'mp-weixin') appid = mpAppId(app)
    },
    closeBundle() {
      if (process.env.UNI_PLATFORM === 'mp-weixin' && process.env.UNI_OUTPUT_DIR) {
        writeMpAppId(process.env.UNI_OUTPUT_DIR, appid)
      }
    },
  }
}
