// The HTTPS world of the matrix: Stork on widget.test, two registered
// publishers (publisher.test and other.test) and one page on an origin no
// publisher registered, all on loopback with a certificate made for the run.
import { rm } from 'node:fs/promises';
import { startStork, makeCertificate, tempDir, freePort } from './stork.js';
import { startPublisherSite } from './publisher.js';
import { TEST_HOSTS } from './browsers.js';
import { makePublisherKey } from './identity.js';

export async function startSites({ users = 12, extraArgs = [] } = {}) {
  const certDir = await tempDir('stork-cert-');
  const cleanups = [() => rm(certDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup(); } catch { /* keep stopping the rest */ }
    }
  };
  try {
    const tls = await makeCertificate(certDir, TEST_HOSTS);
    const portA = await freePort();
    const portB = await freePort();
    const originA = 'https://publisher.test:' + portA;
    const originB = 'https://other.test:' + portB;
    // Each publisher's backend signs its readers' identity tokens.
    const keys = { 'pub-a': makePublisherKey('pub-a'), 'pub-b': makePublisherKey('pub-b') };
    const stork = await startStork({
      host: 'widget.test', tls, users, extraArgs,
      publishers: { 'pub-a': [originA], 'pub-b': [originB] },
      keys: Object.values(keys),
    });
    cleanups.push(() => stork.stop());
    const a = await startPublisherSite({ hostName: 'publisher.test', port: portA, tls, widgetOrigin: stork.origin, publisherKey: 'pub-a' });
    cleanups.push(() => a.stop());
    const b = await startPublisherSite({ hostName: 'other.test', port: portB, tls, widgetOrigin: stork.origin, publisherKey: 'pub-b' });
    cleanups.push(() => b.stop());
    // Same key as publisher A, but an origin (another port) nobody registered.
    const rogue = await startPublisherSite({ hostName: 'publisher.test', tls, widgetOrigin: stork.origin, publisherKey: 'pub-a' });
    cleanups.push(() => rogue.stop());
    return { stork, a, b, rogue, tls, keys, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
