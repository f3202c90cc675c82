// Entry: pick the language, load only its messages, then mount. Staff screens are separate
// chunks (router.ts), so a citizen on `/` downloads the shell, the report screen and one locale.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { i18n, initialLocale, setLocale } from './i18n'
import './styles.css'

async function start(): Promise<void> {
  await setLocale(initialLocale())
  createApp(App).use(i18n).use(router).mount('#app')
}

void start()
