// Puppeteer's install step: use the system Chromium/Chrome when there is one (and on machines
// that cannot download), otherwise let puppeteer fetch its managed browser.
const { existsSync } = require('node:fs')

const systemBrowsers = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']
const hasSystemBrowser = systemBrowsers.some((file) => existsSync(file)) || Boolean(process.env.HANDBOOK_BROWSER)

module.exports = {
  skipDownload: hasSystemBrowser || process.env.PUPPETEER_SKIP_DOWNLOAD === 'true'
}
