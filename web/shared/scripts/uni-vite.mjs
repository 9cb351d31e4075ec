// The vite config of a uni-app (customer, worker): the uni plugin, hoisted packages linked into
// the app (see uni-links.mjs), the mini program's AppID from settings (mp-appid.mjs) and /api proxied
// to the local backend in dev.
import uniPlugin from '@dcloudio/vite-plugin-uni'
import { linkHoistedPackages } from './uni-links.mjs'
import { mpAppIdPlugin } from './mp-appid.mjs'

// vite-plugin-uni is CommonJS: its default export may sit under .default
const uni = uniPlugin.default || uniPlugin

export function uniAppConfig(appDir) {
  linkHoistedPackages(appDir)
  return {
    plugins: [uni(), mpAppIdPlugin(appDir)],
    resolve: { preserveSymlinks: true },
    server: {
      proxy: { '/api': 'http://127.0.0.1:8000' },
    },
  }
}
