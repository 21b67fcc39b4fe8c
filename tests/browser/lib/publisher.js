// A minimal publisher site: the embed snippet on a page, and a page framing
// the cookie lab. Served over loopback, by HTTP or HTTPS.
import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { freePort } from './stork.js';

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:24px;background:#f4f1ea;color:#222}
main{max-width:420px}h1{font-size:20px}</style></head><body><main>${body}</main></body></html>`;
}

// publisherKey goes into data-publisher; hostName is what the browser calls us.
export async function startPublisherSite({ hostName = '127.0.0.1', port = 0, tls = null, widgetOrigin, publisherKey }) {
  port = port || await freePort();
  const origin = (tls ? 'https' : 'http') + '://' + hostName + ':' + port;
  const attr = (v) => String(v).replace(/[^A-Za-z0-9._~-]/g, '');  // a JWS needs no other characters
  const snippet = (key, token = '') =>
    `<div data-stork-product="1337"></div><script async src="${widgetOrigin}/embed.js" data-publisher="${key}"` +
    (token ? ` data-identity-token="${attr(token)}"` : '') + '></script>';
  const routes = {
    '/': () => page('Publisher ' + hostName, `<h1>Article on ${hostName}</h1>${snippet(publisherKey)}`),
    // The publisher's backend rendered its reader's token into the page
    // (the test mints it and passes it in the query).
    '/embed': (q) => page('Signed-in reader', `<h1>Article for a signed-in reader</h1>${snippet(publisherKey, q.get('token'))}`),
    // A single-page app that calls Stork.identify() before the loader ran.
    '/spa': (q) => page('Single-page app', `<h1>App on ${hostName}</h1>
<script>window.Stork = window.Stork || { q: [], identify(t) { this.q.push(['identify', t]); }, signOut() { this.q.push(['signOut']); } };
window.Stork.identify(${JSON.stringify(attr(q.get('token') || ''))});</script>${snippet(publisherKey)}`),
    '/unknown-key': () => page('Unknown key', `<h1>Unregistered key</h1>${snippet('not-registered')}`),
    '/lab.html': () => page('Cookie lab', `<h1>Cookie lab on ${hostName}</h1>
<iframe id="lab" src="${widgetOrigin}/lab" style="width:100%;height:900px;border:0"></iframe>`),
  };
  const handler = (req, res) => {
    const url = new URL(req.url, origin);
    const route = routes[url.pathname];
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(route(url.searchParams));
  };
  const server = tls
    ? https.createServer({ cert: await readFile(tls.cert), key: await readFile(tls.key) }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    // A loopback IP as the host name is its own site (WebKit has no
    // host-resolver flag): listen on that address.
    server.listen(port, /^127\.\d+\.\d+\.\d+$/.test(hostName) ? hostName : '127.0.0.1', resolve);
  });
  return {
    origin,
    url: (p = '/') => origin + p,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
