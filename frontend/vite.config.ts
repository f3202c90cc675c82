/// <reference types="vitest/config" />
// Build and unit-test configuration. The SPA is served from the site root by S3 + CloudFront in
// production and by `make run` locally; `/api/*` is same-origin, so no base URL is configured.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { precompileMessages } from './build/precompile-messages'

export default defineConfig(({ command }) => ({
  plugins: [vue(), precompileMessages()],
  define: {
    // vue-i18n feature flags: Composition API only, no legacy API, no devtools in production.
    // Dropping the legacy API lets the bundler tree-shake a good part of vue-i18n.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    // The build ships precompiled messages (build/precompile-messages.ts): no runtime compiler.
    __INTLIFY_DROP_MESSAGE_COMPILER__: command === 'build',
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __VUE_OPTIONS_API__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Reported by `make build` so the first-load size stays visible in every build log.
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` against a running `make run` stack.
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.spec.ts'],
    restoreMocks: true,
  },
}))
