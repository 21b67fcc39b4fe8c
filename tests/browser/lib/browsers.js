// Launches the system's browsers (never a downloaded one) with a fresh
// profile whose third-party cookie settings are pinned, because a distro's
// build may start from a different default than upstream.
import { mkdir, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { tempDir } from './stork.js';

export const CHROMIUM = process.env.STORK_CHROMIUM || '/usr/bin/chromium';
export const FIREFOX = process.env.STORK_FIREFOX || '/usr/bin/firefox-esr';

export const TEST_HOSTS = ['widget.test', 'publisher.test', 'other.test'];

// Profile preferences for each Chromium configuration of the matrix.
export const CHROMIUM_PROFILES = {
  thirdPartyAllowed: { profile: { cookie_controls_mode: 0 } },
  default: { profile: { cookie_controls_mode: 1 } },
  allCookiesBlocked: { profile: { cookie_controls_mode: 1, default_content_setting_values: { cookies: 2 } } },
};

export async function launchChromium(prefs, { hostNames = false } = {}) {
  const dir = await tempDir('stork-chromium-');
  await mkdir(path.join(dir, 'Default'), { recursive: true });
  await writeFile(path.join(dir, 'Default', 'Preferences'), JSON.stringify(prefs));
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (hostNames) {
    args.push('--host-resolver-rules=' + TEST_HOSTS.map((h) => 'MAP ' + h + ' 127.0.0.1').join(', '),
      '--ignore-certificate-errors');
  }
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    ignoreHTTPSErrors: true,
    viewport: { width: 1100, height: 900 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] || await context.newPage();
  let cdp = null;
  return {
    name: 'chromium',
    context,
    page,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    // Grants storage-access to the widget embedded under one top-level site,
    // as a visitor accepting the browser's prompt would. The DevTools session
    // stays open: Chromium drops its permission overrides when it detaches.
    async grantStorageAccess(topOrigin, widgetOrigin) {
      cdp = cdp || await context.newCDPSession(page);
      await cdp.send('Browser.setPermission', {
        permission: { name: 'storage-access' },
        setting: 'granted',
        origin: topOrigin,
        embeddedOrigin: widgetOrigin,
      });
    },
  };
}

// hostNames: resolve the test names to loopback (that pref also sends
// 127.0.0.2 and the like to 127.0.0.1, so IP-site tests turn it off).
export async function launchFirefox({ hostNames = true } = {}) {
  const names = hostNames
    ? { 'network.dns.localDomains': TEST_HOSTS.join(','), 'network.dns.forceResolve': '127.0.0.1' }
    : {};
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    protocol: 'webDriverBiDi',
    timeout: 60_000,
    extraPrefsFirefox: {
      ...names,
      'network.proxy.type': 0,
      'browser.shell.checkDefaultBrowser': false,
    },
  });
  const page = (await browser.pages())[0] || await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  page.setDefaultTimeout(15_000);
  return {
    name: 'firefox',
    browser,
    page,
    close: () => browser.close(),
  };
}
