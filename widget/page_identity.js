/*
 * What the publisher's page says about its signed-in reader, as the loader
 * (embed.js) passes it on: a token to sign in with, or a sign-out. Taken
 * only from the parent window; the message's origin travels to the server
 * with the token, and the server refuses it unless that origin is one the
 * token's publisher registered, so a token that leaked to another site is
 * of no use there.
 */
import { framed } from './common.js';

// How long a first paint waits for a token the loader announced.
const FIRST_WORD_MS = 3000;

const page = {
  expected: new URLSearchParams(location.search).get('identity') === '1',
  handler: null,
  first: null,  // resolves with the first word (or null after FIRST_WORD_MS)
  resolveFirst: null,
};

function onMessage(event) {
  if (!framed || event.source !== window.parent) return;
  const data = event.data;
  if (!data || (data.type !== 'stork:identity' && data.type !== 'stork:sign-out')) return;
  const word = data.type === 'stork:identity'
    ? { token: typeof data.token === 'string' ? data.token : '', origin: event.origin }
    : { signOut: true, origin: event.origin };
  if (page.resolveFirst) {
    page.resolveFirst(word);
    page.resolveFirst = null;
    return;  // the first paint handles it
  }
  if (page.handler) page.handler(word);
}

// Starts listening and tells the loader this frame is ready. handler gets
// every word after the first one that firstWord() returned.
export function listenToPage(handler) {
  page.handler = handler;
  if (page.expected) {
    page.first = new Promise((resolve) => {
      page.resolveFirst = resolve;
      setTimeout(() => {
        if (page.resolveFirst === resolve) page.resolveFirst = null;
        resolve(null);
      }, FIRST_WORD_MS);
    });
  }
  window.addEventListener('message', onMessage);
  if (framed) window.parent.postMessage({ type: 'stork:ready' }, '*');
}

// The word the loader announced in the frame's URL, or null.
export function firstWord() {
  return page.first || Promise.resolve(null);
}
