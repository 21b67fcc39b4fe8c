// The HTTPS world for engines without a host-resolver switch (WebKit):
// Stork on https://127.0.0.1:W, publisher A on https://127.0.0.2:P and
// publisher B on https://127.0.0.3:Q. Each loopback IP is its own site;
// one certificate made for the run names all three.
import { rm } from 'node:fs/promises';
import { startStork, makeCertificate, tempDir, freePort } from './stork.js';
import { startPublisherSite } from './publisher.js';
import { makePublisherKey } from './identity.js';

export const IP_HOSTS = { widget: '127.0.0.1', a: '127.0.0.2', b: '127.0.0.3' };

export async function startIpSites({ users = 12 } = {}) {
  const certDir = await tempDir('stork-cert-');
  const cleanups = [() => rm(certDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup(); } catch { /* keep stopping the rest */ }
    }
  };
  try {
    const tls = await makeCertificate(certDir, Object.values(IP_HOSTS));
    const portA = await freePort();
    const portB = await freePort();
    const originA = 'https://' + IP_HOSTS.a + ':' + portA;
    const originB = 'https://' + IP_HOSTS.b + ':' + portB;
    const keys = { 'pub-a': makePublisherKey('pub-a'), 'pub-b': makePublisherKey('pub-b') };
    const stork = await startStork({
      host: IP_HOSTS.widget, tls, users, publishers: { 'pub-a': [originA], 'pub-b': [originB] },
      keys: Object.values(keys),
    });
    cleanups.push(() => stork.stop());
    const a = await startPublisherSite({ hostName: IP_HOSTS.a, port: portA, tls, widgetOrigin: stork.origin, publisherKey: 'pub-a' });
    cleanups.push(() => a.stop());
    const b = await startPublisherSite({ hostName: IP_HOSTS.b, port: portB, tls, widgetOrigin: stork.origin, publisherKey: 'pub-b' });
    cleanups.push(() => b.stop());
    return { stork, a, b, tls, keys, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
