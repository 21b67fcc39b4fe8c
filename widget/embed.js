/*
 * Stork loader for publisher pages.
 *
 *   <div data-stork-product="1337"></div>
 *   <script async src="https://widget.example/embed.js" data-publisher="demo"></script>
 *
 * Everything that touches the visitor's account lives inside the iframe, on
 * Stork's own origin, so the publisher's scripts never see a password, a
 * cookie or a token. This file only creates frames and sizes them.
 */
(function () {
  'use strict';

  // Loaded twice (two snippets, or a tag manager): reuse the first instance so
  // there is only one message listener and no element gets a second frame.
  if (window.Stork && typeof window.Stork.scan === 'function') {
    window.Stork.scan();
    return;
  }

  const MIN_HEIGHT = 120;
  const MAX_HEIGHT = 4000;
  const INITIAL_HEIGHT = 420;

  const script = document.currentScript || document.querySelector('script[src$="/embed.js"]');
  if (!script || !script.src) return;

  const origin = new URL(script.src, location.href).origin;
  const publisher = script.getAttribute('data-publisher') || '';
  const frames = [];

  function createFrame(el) {
    const product = (el.getAttribute('data-stork-product') || '').trim();
    if (!product) return;

    const url = new URL('/widget', origin);
    url.searchParams.set('product', product);
    url.searchParams.set('publisher', publisher);

    const iframe = document.createElement('iframe');
    iframe.src = url.href;
    iframe.title = 'Stork product card';
    iframe.style.display = 'block';
    iframe.style.width = '100%';
    iframe.style.border = '0';
    iframe.style.height = INITIAL_HEIGHT + 'px';

    el.setAttribute('data-stork-loaded', '');
    el.replaceChildren(iframe);
    frames.push(iframe);
  }

  function scan() {
    for (const el of document.querySelectorAll('[data-stork-product]:not([data-stork-loaded])')) {
      createFrame(el);
    }
  }

  function onMessage(event) {
    if (event.origin !== origin) return;
    const data = event.data;
    if (!data || data.type !== 'stork:height') return;
    const height = Number(data.height);
    if (!Number.isFinite(height)) return;
    // The origin check alone would let one Stork frame resize another.
    const iframe = frames.find((f) => f.contentWindow === event.source);
    if (!iframe) return;
    iframe.style.height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height))) + 'px';
  }

  window.addEventListener('message', onMessage);
  window.Stork = { version: 1, origin: origin, scan: scan };

  scan();
  // An async script can run before the rest of the page is parsed.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', scan);
  }
})();
