// Build-time compilation of the locale files into vue-i18n's message AST, so the production
// bundle can leave out vue-i18n's message compiler (~5 kB gzip of the first load). A message
// that does not compile fails the build with its key. Dev server and unit tests keep the plain
// strings and the runtime compiler.
import type { Plugin } from 'vite'
import { baseCompile } from '@intlify/message-compiler'

const LOCALE_MODULE = /\/src\/i18n\/locales\/[a-z]{2}\.ts$/

export function compileTree(tree: unknown, path: string): unknown {
  if (typeof tree === 'string') {
    const result = baseCompile(tree, {
      jit: true,
      location: false,
      minify: true,
      optimize: true,
      onError: (error) => {
        throw new Error(`message ${path}: ${error.message}`)
      },
    })
    return result.ast
  }
  if (tree !== null && typeof tree === 'object') {
    return Object.fromEntries(
      Object.entries(tree).map(([key, value]) => [key, compileTree(value, path ? `${path}.${key}` : key)]),
    )
  }
  throw new Error(`message ${path}: not a string`)
}

export function precompileMessages(): Plugin {
  return {
    name: 'repairapp:precompile-messages',
    apply: 'build',
    // After TypeScript is stripped: the module is then plain JS with one default export.
    enforce: 'post',
    async transform(code, id) {
      if (!LOCALE_MODULE.test(id)) return null
      const module = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { default: unknown }
      return { code: `export default ${JSON.stringify(compileTree(module.default, ''))}`, map: null }
    },
  }
}
