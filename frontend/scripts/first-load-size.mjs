// Prints what a first visit to `/` downloads (gzip): the entry script, its preloaded chunks, the
// CSS, index.html, and one locale (the largest, as the worst case). Run after `vite build`.
import { readFileSync, readdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const dist = new URL('../dist/', import.meta.url).pathname
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1])
const locales = readdirSync(join(dist, 'assets')).filter((name) => /^(en|nl|fr|de)-.*\.js$/.test(name))
const gz = (path) => gzipSync(readFileSync(join(dist, path)), { level: 9 }).length
const largestLocale = locales.map((name) => `assets/${name}`).sort((a, b) => gz(b) - gz(a))[0]

const files = ['index.html', ...referenced, largestLocale].filter(Boolean)
let total = 0
for (const file of files) {
  const size = gz(file)
  total += size
  console.log(`  ${(size / 1024).toFixed(1).padStart(6)} kB  ${file}`)
}
console.log(`first load of / (gzip): ${(total / 1024).toFixed(1)} kB`)
