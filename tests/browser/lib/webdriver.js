// WebKit (Safari's engine) through WebKitGTK's WebKitWebDriver: plain W3C
// WebDriver over HTTP+JSON, no npm driver. It needs a display, so each run
// starts its own Xvfb (picking a free display) and stops it afterwards.
//
// The frame objects answer evaluate(fn), click(selector) and fill(selector,
// text) like Playwright's and Puppeteer's, so lib/widget.js's polling
// helpers (settledState, waitForState, loginInFrame...) drive WebKit too.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './stork.js';
import { poll, SHOT_DIR } from './widget.js';

export const WEBKIT_DRIVER = process.env.STORK_WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.STORK_MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB = process.env.STORK_XVFB || '/usr/bin/Xvfb';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';  // W3C web element identifier

// MiniBrowser configurations of the matrix: the cookie policy, with and
// without Intelligent Tracking Prevention (Safari has ITP on).
export const WEBKIT_CONFIGS = {
  default: ['--cookies-policy=no-third-party'],
  itp: ['--cookies-policy=no-third-party', '--enable-itp'],
};

// A child process that is stopped when the test process exits, whatever happens.
function child(cmd, args, options) {
  const proc = spawn(cmd, args, options);
  let log = '';
  proc.stdout?.on('data', (d) => { log = (log + d).slice(-4000); });
  proc.stderr?.on('data', (d) => { log = (log + d).slice(-4000); });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const reap = () => proc.kill('SIGKILL');
  process.once('exit', reap);
  exited.then(() => process.off('exit', reap));
  return {
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Xvfb writes the display number it chose to the given file descriptor.
async function startXvfb() {
  const x = child(XVFB, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not start: ' + x.log())), 15_000);
    x.proc.stdio[3].on('data', (d) => {
      text += d;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(':' + text.trim());
      }
    });
    x.proc.once('exit', (code) => reject(new Error('Xvfb exited with ' + code + ': ' + x.log())));
  });
  return { display, stop: x.stop };
}

function call(port, method, urlPath, body) {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method, path: urlPath, agent: false, timeout: 60_000,
      headers: data === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { json = null; }
        const value = json ? json.value : null;
        if (res.statusCode >= 400 || !json) {
          const err = new Error('WebDriver ' + method + ' ' + urlPath + ': ' +
            (value && value.error ? value.error + ': ' + value.message : 'HTTP ' + res.statusCode));
          err.webdriver = value && value.error;
          reject(err);
          return;
        }
        resolve(value);
      });
    });
    req.on('timeout', () => req.destroy(new Error('WebDriver timed out: ' + method + ' ' + urlPath)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

// The display and the driver, shared by the sessions of one test file.
export async function startWebKitDriver() {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = child(WEBKIT_DRIVER, ['--port=' + port, '--host=127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: xvfb.display } });
  try {
    await poll('WebKitWebDriver to listen', async () => {
      if (driver.proc.exitCode !== null) throw new Error('WebKitWebDriver exited: ' + driver.log());
      return (await call(port, 'GET', '/status')) !== undefined;
    }, { timeout: 15_000, interval: 100 });
  } catch (err) {
    await driver.stop();
    await xvfb.stop();
    throw err;
  }
  return {
    // A fresh MiniBrowser (fresh, ephemeral profile) with these arguments.
    launch: (args) => launchWebKit(port, args),
    async stop() {
      await driver.stop();
      await xvfb.stop();
    },
  };
}

async function launchWebKit(port, args) {
  const created = await call(port, 'POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        acceptInsecureCerts: true,
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', ...args] },
      },
    },
  });
  const base = '/session/' + created.sessionId;
  const wd = (method, p, body) => call(port, method, base + p, body);
  await wd('POST', '/timeouts', { script: 20_000, pageLoad: 30_000, implicit: 0 });
  await wd('POST', '/window/rect', { width: 1100, height: 900 }).catch(() => {});

  // Runs fn (serialized) in the current browsing context, awaiting a promise.
  const run = async (fn, args) => {
    const script = 'const done = arguments[arguments.length - 1];' +
      'Promise.resolve().then(() => (' + fn.toString() + ')(...arguments[0]))' +
      '.then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: String(e && e.message || e) }));';
    const out = await wd('POST', '/execute/async', { script, args: [args] });
    if (out && out.err !== undefined) throw new Error('in the page: ' + out.err);
    return out ? out.ok : null;
  };
  // The element, scrolled into view: WebKit will not click or type into
  // an element of a frame that is out of sight.
  const find = async (selector) => {
    const el = await wd('POST', '/element', { using: 'css selector', value: selector });
    await wd('POST', '/execute/sync', { script: 'arguments[0].scrollIntoView({ block: "center" });', args: [el] });
    return el[ELEMENT];
  };
  // Every frame operation starts from the top: navigations inside the page
  // never leave a stale frame context behind.
  const enter = async (frameSelector) => {
    await wd('POST', '/frame', { id: null });
    if (frameSelector) await wd('POST', '/frame', { id: { [ELEMENT]: await find(frameSelector) } });
  };
  const context = (frameSelector) => ({
    async evaluate(fn, ...args) {
      await enter(frameSelector);
      return run(fn, args);
    },
    async click(selector) {
      await enter(frameSelector);
      await wd('POST', '/element/' + await find(selector) + '/click', {});
    },
    async fill(selector, text) {
      await enter(frameSelector);
      const el = await find(selector);
      // WebKit types only into a focused field of a frame: click it first.
      await wd('POST', '/element/' + el + '/click', {});
      await wd('POST', '/element/' + el + '/clear', {});
      await wd('POST', '/element/' + el + '/value', { text });
    },
  });

  return {
    name: 'webkit',
    page: context(null),
    frame: context,
    async goto(url) {
      await wd('POST', '/frame', { id: null });
      await wd('POST', '/url', { url });
    },
    // PNG of the whole viewport (or of one element).
    async screenshot(name, selector = null) {
      if (!SHOT_DIR) return null;
      await mkdir(SHOT_DIR, { recursive: true });
      await wd('POST', '/frame', { id: null });
      const png = selector
        ? await wd('GET', '/element/' + await find(selector) + '/screenshot')
        : await wd('GET', '/screenshot');
      const file = path.join(SHOT_DIR, name + '.png');
      await writeFile(file, Buffer.from(png, 'base64'));
      return file;
    },
    close: () => wd('DELETE', '').catch(() => {}),
  };
}
