/*
 * Stork loader for publisher pages.
 *
 *   <div data-stork-product="1337"></div>
 *   <script async src="https://widget.example/embed.js" data-publisher="demo"></script>
 *
 * Everything that touches the visitor's account lives inside the iframe, on
 * Stork's own origin, so the publisher's scripts never see a password, a
 * cookie or a token of Stork's. This file creates frames, sizes them, and
 * passes on what the publisher says about its signed-in reader:
 *
 *   data-identity-token="JWT" on the script tag, or
 *   window.Stork.identify(jwt) / window.Stork.signOut()
 *
 * (calls made before this file ran are taken from window.Stork.q). The token
 * goes to each frame by postMessage to the widget's exact origin, never in a
 * URL, so it is in no log, history entry or Referer.
 */
(function () {
  'use strict';

  const script = document.currentScript || document.querySelector('script[src$="/embed.js"]');

  // Loaded twice (two snippets, or a tag manager): reuse the first instance so
  // there is only one message listener and no element gets a second frame.
  if (window.Stork && typeof window.Stork.scan === 'function') {
    const token = script && script.getAttribute('data-identity-token');
    if (token) window.Stork.identify(token);
    window.Stork.scan();
    return;
  }
  if (!script || !script.src) return;

  const MIN_HEIGHT = 120;
  const MAX_HEIGHT = 4000;
  const INITIAL_HEIGHT = 420;

  // Everything the loader knows, in one place.
  const state = {
    origin: new URL(script.src, location.href).origin,
    publisher: script.getAttribute('data-publisher') || '',
    frames: [],
    // The page's latest word about its reader, for every frame that is or
    // becomes ready: {type: 'stork:identity', token} or {type: 'stork:sign-out'}.
    word: null,
    ready: new Set(),  // contentWindows of frames that said stork:ready
  };

  function frameOf(source) {
    return state.frames.find((f) => f.contentWindow === source);
  }

  function tell(win) {
    if (state.word) win.postMessage(state.word, state.origin);
  }

  function say(word) {
    state.word = word;
    for (const win of state.ready) tell(win);
  }

  function identify(token) {
    if (typeof token === 'string' && token) say({ type: 'stork:identity', token });
  }

  function signOut() {
    say({ type: 'stork:sign-out' });
  }

  function createFrame(el) {
    const product = (el.getAttribute('data-stork-product') || '').trim();
    if (!product) return;

    const url = new URL('/widget', state.origin);
    url.searchParams.set('product', product);
    url.searchParams.set('publisher', state.publisher);
    // Only that the page has a word about its reader, so the widget waits
    // for it before its first paint; a token never goes into the URL.
    if (state.word) url.searchParams.set('identity', '1');

    const iframe = document.createElement('iframe');
    iframe.src = url.href;
    iframe.title = 'Stork product card';
    iframe.style.display = 'block';
    iframe.style.width = '100%';
    iframe.style.border = '0';
    iframe.style.height = INITIAL_HEIGHT + 'px';

    el.setAttribute('data-stork-loaded', '');
    el.replaceChildren(iframe);
    state.frames.push(iframe);
  }

  function scan() {
    for (const el of document.querySelectorAll('[data-stork-product]:not([data-stork-loaded])')) {
      createFrame(el);
    }
  }

  function onMessage(event) {
    if (event.origin !== state.origin) return;
    const data = event.data;
    if (!data) return;
    // The origin check alone would let one Stork frame speak for another.
    const iframe = frameOf(event.source);
    if (!iframe) return;
    if (data.type === 'stork:ready') {
      state.ready.add(event.source);
      tell(event.source);
      return;
    }
    if (data.type !== 'stork:height') return;
    const height = Number(data.height);
    if (!Number.isFinite(height)) return;
    iframe.style.height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height))) + 'px';
  }

  const queued = window.Stork && Array.isArray(window.Stork.q) ? window.Stork.q : [];
  window.addEventListener('message', onMessage);
  window.Stork = { version: 2, origin: state.origin, scan, identify, signOut };

  identify(script.getAttribute('data-identity-token'));
  for (const [name, arg] of queued) {
    if (name === 'identify') identify(arg);
    if (name === 'signOut') signOut();
  }

  scan();
  // An async script can run before the rest of the page is parsed.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', scan);
  }
})();
