import { defineConfig } from 'vitest/config'

// Unit tests run without the uni-app plugin (plain TS logic only).
export default defineConfig({
  test: { include: ['tests/**/*.test.ts'] },
})
