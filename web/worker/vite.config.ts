import { defineConfig } from 'vite'
// @ts-expect-error plain ESM helper without types
import { uniAppConfig } from '../shared/scripts/uni-vite.mjs'

export default defineConfig(uniAppConfig(__dirname))
