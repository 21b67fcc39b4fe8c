// kill -9 of one Stork process under read load: nginx retries the reads it
// had in flight on the other process and skips the dead one, so the client
// sees zero failed requests; the session lives in the shared store, so it
// survives; `deploy/cluster` starts the process again and nginx sends it
// reads once more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startCluster, request, signIn, requestCount, sleep } from './lib/cluster.js';

let cluster;

before(async () => {
  cluster = await startCluster();
});

after(async () => {
  if (cluster) {
    const stopped = await cluster.stop();
    assert.deepEqual(stopped.left, [], 'nothing left running');
  }
});

test('kill -9 of a Stork process under read load: zero failed requests, no session lost, the process rejoins', async () => {
  const { cookie } = await signIn(cluster);
  const product = /route="product",status="200"/;
  let running = true;
  let ok = 0;
  const failures = [];
  const CLIENTS = 8;
  const loops = [];
  for (let c = 0; c < CLIENTS; c++) {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    loops.push((async () => {
      while (running) {
        const id = Math.random() < 0.5 ? 1337 : 1 + Math.floor(Math.random() * 24);
        try {
          const res = await request(cluster, { path: `/products/${id}.json`, headers: { Cookie: cookie }, agent });
          if (res.status === 200 && res.json && res.json.viewer && res.json.viewer.username === 'johndoe') ok++;
          else failures.push(`${res.status} ${res.body.slice(0, 120)}`);
        } catch (err) {
          failures.push(err.message);
        }
      }
      agent.destroy();
    })());
  }

  await sleep(1500);
  const victim = cluster.storkPid(1);
  const beforeKill = ok;
  process.kill(victim, 'SIGKILL');

  // The supervisor starts it again; wait for the new process to answer.
  let restarted = 0;
  for (let k = 0; k < 100 && !restarted; k++) {
    await sleep(100);
    await cluster.reloadEnv();
    const pid = cluster.storkPid(1);
    if (pid && pid !== victim) {
      try {
        const h = await request(cluster, { edge: false, port: cluster.storkPort(1), path: '/healthz', timeout: 1000 });
        if (h.status === 200) restarted = pid;
      } catch { /* not listening yet */ }
    }
  }
  assert.ok(restarted, 'the killed process was started again:\n' + cluster.log());

  // Keep the load on until the restarted process serves reads again.
  let rejoined = 0;
  for (let k = 0; k < 60 && rejoined < 20; k++) {
    await sleep(100);
    rejoined = await requestCount(cluster, 1, product);
  }
  running = false;
  await Promise.all(loops);

  const total = ok + failures.length;
  console.log(`kill -9 under read load: ${total} requests (${beforeKill} before the kill), ` +
    `${failures.length} failed; the restarted process served ${rejoined} reads after rejoining`);
  assert.deepEqual(failures, [], 'no request failed at the client');
  assert.ok(total > beforeKill + 50, 'the load went on through the kill');
  assert.ok(rejoined >= 20, `the restarted process serves reads again (${rejoined})`);

  const me = await request(cluster, { path: '/api/me', headers: { Cookie: cookie } });
  assert.equal(me.status, 200, 'the session survived');
  assert.equal(me.json.user.username, 'johndoe');
  for (let i = 1; i <= 2; i++) {
    const direct = await request(cluster, { edge: false, port: cluster.storkPort(i), path: '/api/me',
      headers: { Cookie: cookie } });
    assert.equal(direct.status, 200, `process ${i} knows the session`);
  }
});
