// npm run gen -w admin [-- <path to openapi.json>]   (default ../shared/openapi.json)
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const src = process.argv[2] || process.env.OPENAPI_JSON || '../shared/openapi.json'
if (!existsSync(src)) {
  console.error(`gen: ${src} not found`)
  process.exit(1)
}
const r = spawnSync('openapi-typescript', [src, '-o', 'src/api/schema.d.ts'], { stdio: 'inherit', shell: process.platform === 'win32' })
process.exit(r.status ?? 1)
