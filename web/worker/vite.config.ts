import { defineConfig } from 'vite'
import uniPlugin from '@dcloudio/vite-plugin-uni'
// @ts-expect-error plain ESM helper without types
import { linkHoistedPackages } from '../shared/scripts/uni-links.mjs'

linkHoistedPackages(__dirname)

// vite-plugin-uni is CommonJS: its default export may sit under .default
const uni = ((uniPlugin as unknown as { default?: typeof uniPlugin }).default || uniPlugin) as typeof uniPlugin

export default defineConfig({
  plugins: [uni()],
  resolve: { preserveSymlinks: true },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
})
