import { createSSRApp } from 'vue'
import { initSession } from '@anjia/shared/src/uni/session'
import { installNativePlaceholders } from '@anjia/shared/src/uni/h5-placeholders'
import { installBookingMessages } from './lib/booking/i18n'
import App from './App.vue'
import { API_BASE, APP, CLIENT, HOME_PAGE, TAB_KEYS } from './config'

installBookingMessages()
initSession({ app: APP, baseUrl: API_BASE, homePage: HOME_PAGE, tabKeys: TAB_KEYS, client: CLIENT })
// #ifdef H5
installNativePlaceholders()
// #endif

export function createApp() {
  const app = createSSRApp(App)
  return { app }
}
