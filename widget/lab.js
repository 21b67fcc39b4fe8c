/*
 * Cookie lab: what this browser lets a third-party frame remember. Framed by
 * any site, it reports live, and as JSON in window.storkLab for people filing
 * bug reports and for automated browser tests.
 */
import { request, cookieRoundTrip, framed, topLevelOrigin } from './common.js';

// Written when the lab is opened top-level, looked for when it is framed: a
// framed copy that can read it shares storage with the first-party site.
const MARKER = 'stork-lab-first-party';

const lab = {
  cookieEnabled: navigator.cookieEnabled,
  unpartitionedCookie: null,
  partitionedCookie: null,
  hasStorageAccess: null,
  requestStorageAccess: null,
  storageAccessAll: null,
  localStorage: null,
  localStoragePartitioned: null,
  indexedDB: null,
  indexedDBPartitioned: null,
  storageAccessHeaders: null,
  topLevelSite: topLevelOrigin() || 'unknown',
  frameSite: location.origin,
  framed,
  userAgent: navigator.userAgent,
  // What Stork received: with this frame's own request (filled in by the
  // server) and with a fetch from it.
  server: { document: serverViewOfDocument(), fetch: null },
};
window.storkLab = lab;

// What the marker check saw, to explain localStoragePartitioned honestly.
let markerNote = '';
let idbNote = '';

function serverViewOfDocument() {
  const meta = document.querySelector('meta[name="stork-server-view"]');
  try {
    return JSON.parse(meta ? meta.content : 'null');
  } catch {
    return null;
  }
}

const list = (v) => (Array.isArray(v) && v.length ? v.join(', ') : 'none');
const header = (v) => (v ? v : 'not sent');

const GREEN = 'green';
const RED = 'red';
const GREY = 'grey';

function yesNo(value, yes, no, unknown) {
  if (value === true) return [GREEN, 'yes', yes];
  if (value === false) return [RED, 'no', no];
  return [GREY, 'unknown', unknown];
}

// key, label, and how a value reads: [tone, short value, one-line meaning].
const ROWS = [
  ['cookieEnabled', 'navigator.cookieEnabled', (v) => yesNo(v,
    'The browser says cookies are on. It says so even where a frame keeps none: the rows below test for real.',
    'Cookies are switched off for this page.')],
  ['unpartitionedCookie', 'Unpartitioned SameSite=None cookie', (v) => yesNo(v,
    'A classic third-party cookie round-trips: one Stork sign-in is shared by every site that frames it.',
    'Third-party cookies are blocked: a sign-in here needs a partitioned cookie or storage access.',
    'The set → read check did not complete.')],
  ['partitionedCookie', 'Partitioned (CHIPS) cookie', (v) => yesNo(v,
    'A cookie kept only for this top-level site round-trips: a sign-in here holds on this site.',
    'Not even a partitioned cookie survives: the widget keeps its sign-in in page memory only.',
    'The set → read check did not complete.')],
  ['hasStorageAccess', 'document.hasStorageAccess()', (v) => v === 'unsupported'
    ? [GREY, 'unsupported', 'This browser has no Storage Access API.']
    : yesNo(v,
      'This frame can use its unpartitioned cookies.',
      'This frame cannot use its unpartitioned cookies unless requestStorageAccess() is granted.',
      'The call failed.')],
  ['requestStorageAccess', 'requestStorageAccess() on a click', (v) => {
    if (v === 'granted') return [GREEN, 'granted', 'The browser lets this frame use Stork’s unpartitioned cookies on this site.'];
    if (v === 'denied') return [RED, 'denied', 'Refused: browsers usually want a recent first-party visit to Stork, or the prompt was declined.'];
    if (v === 'unsupported') return [GREY, 'unsupported', 'This browser has no Storage Access API.'];
    return [GREY, 'not tried', 'Needs a click: press “Try requestStorageAccess()” above.'];
  }],
  ['storageAccessAll', 'requestStorageAccess({all: true})', (v) => {
    if (Array.isArray(v)) return [GREEN, v.length ? v.join(', ') : 'granted', 'The handle gives this frame unpartitioned storage: ' + (v.length ? v.join(', ') : 'nothing listed') + '.'];
    if (v === 'denied') return [RED, 'denied', 'Refused, like the plain request above.'];
    if (v === 'unsupported') return [GREY, 'unsupported', 'This browser has no storage-access handle (cookies only).'];
    return [GREY, 'not tried', 'Tried after a granted requestStorageAccess().'];
  }],
  ['localStorage', 'localStorage available', (v) => yesNo(v,
    'This frame can store data in localStorage.',
    'localStorage throws here (blocked by settings or policy).',
    'Not checked yet.')],
  ['localStoragePartitioned', 'localStorage partitioned', (v) => {
    if (v === true) return [RED, 'partitioned', 'Confirmed: this frame’s localStorage differs from Stork’s first-party storage.'];
    if (v === false) return [GREEN, 'shared', 'Shared with first party (not partitioned): ' + markerNote];
    return [GREY, 'unknown', markerNote];
  }],
  ['indexedDB', 'IndexedDB available', (v) => yesNo(v,
    'This frame can open an IndexedDB database.',
    'IndexedDB is unavailable or throws here.',
    'Not checked yet.')],
  ['indexedDBPartitioned', 'IndexedDB partitioned', (v) => {
    if (v === true) return [RED, 'partitioned', 'Confirmed: this frame’s IndexedDB differs from Stork’s first-party one.'];
    if (v === false) return [GREEN, 'shared', 'Shared with first party: ' + idbNote];
    return [GREY, 'unknown', idbNote];
  }],
  ['storageAccessHeaders', 'Storage Access Headers', (v) => {
    if (v === 'active') return [GREEN, 'active', 'The frame was loaded with its unpartitioned cookies (Sec-Fetch-Storage-Access: active; Stork answered “load”).'];
    if (v === 'inactive') return [GREY, 'inactive', 'A grant exists but was not in use; Stork asked the browser to retry, and it did not.'];
    if (v === 'none') return [GREY, 'none', 'The browser sends the header, and this frame holds no storage-access grant.'];
    if (v === 'not sent') return [GREY, 'not sent', 'This browser does not send Sec-Fetch-Storage-Access.'];
    return [GREY, 'unknown', 'The server view is missing.'];
  }],
  ['serverDocument', 'Stork saw (this frame)', () => {
    const d = lab.server.document;
    if (!d) return [GREY, 'unknown', 'The server view is missing.'];
    return [d.cookies && d.cookies.length ? GREEN : GREY, 'cookies: ' + list(d.cookies),
      'Sec-Fetch-Site: ' + header(d.secFetchSite) + ' · Sec-Fetch-Dest: ' + header(d.secFetchDest)
      + ' · Sec-Fetch-Storage-Access: ' + header(d.secFetchStorageAccess) + ' · Origin: ' + header(d.origin)];
  }],
  ['serverFetch', 'Stork saw (a fetch)', () => {
    const f = lab.server.fetch;
    if (!f) return [GREY, 'unknown', 'The echo request did not complete.'];
    return [f.cookies && f.cookies.length ? GREEN : GREY, 'cookies: ' + list(f.cookies),
      'Sec-Fetch-Site: ' + header(f.secFetchSite) + ' · Sec-Fetch-Dest: ' + header(f.secFetchDest)
      + ' · Sec-Fetch-Storage-Access: ' + header(f.secFetchStorageAccess) + ' · Origin: ' + header(f.origin)];
  }],
  ['topLevelSite', 'Top-level site', (v) => [GREY, v, 'The page in the address bar; partitioned storage is keyed by its site.']],
  ['frameSite', 'Frame site', (v) => [GREY, v, 'Where this lab runs: Stork’s own origin.']],
  ['framed', 'Framed', (v) => [GREY, v ? 'yes' : 'no', v
    ? 'Results describe a frame embedded by the top-level site.'
    : 'Opened directly, so results describe a first-party page. Frame it from another site to test third-party rules.']],
  ['userAgent', 'User agent', (v) => [GREY, v, 'Include it when you share these results.']],
];

const $ = (id) => document.getElementById(id);
const rowsEl = $('lab-rows');
const jsonEl = $('lab-json');
const copyStatus = $('lab-copy-status');
const requestBtn = $('lab-request');
const rerunBtn = $('lab-rerun');

function buildRows() {
  for (const [key, label] of ROWS) {
    const li = document.createElement('li');
    li.className = 'lab-row';
    li.id = 'lab-row-' + key;
    li.dataset.key = key;
    const name = document.createElement('span');
    name.className = 'lab-name';
    name.textContent = label;
    const badge = document.createElement('span');
    badge.className = 'lab-badge';
    const why = document.createElement('span');
    why.className = 'lab-why';
    li.append(name, badge, why);
    rowsEl.append(li);
  }
}

function render() {
  for (const [key, , describe] of ROWS) {
    const [tone, text, why] = describe(lab[key]);
    const li = $('lab-row-' + key);
    li.dataset.tone = tone;
    li.querySelector('.lab-badge').textContent = String(text);
    li.querySelector('.lab-why').textContent = why;
  }
  jsonEl.textContent = JSON.stringify(lab, null, 2);
}

function checkLocalStorage() {
  try {
    localStorage.setItem('stork-lab-probe', '1');
    localStorage.removeItem('stork-lab-probe');
    lab.localStorage = true;
  } catch {
    lab.localStorage = false;
    lab.localStoragePartitioned = null;
    markerNote = 'Cannot tell without localStorage.';
    return;
  }
  if (!framed) {
    localStorage.setItem(MARKER, new Date().toISOString());
    lab.localStoragePartitioned = null;
    markerNote = 'Opened first-party, so not applicable. A marker was saved: frame the lab from another site to compare.';
    return;
  }
  const marker = localStorage.getItem(MARKER);
  if (marker) {
    lab.localStoragePartitioned = false;
    markerNote = 'this frame reads the marker Stork’s first-party page wrote at ' + marker + '.';
  } else if (lab.localStoragePartitioned !== true) {
    lab.localStoragePartitioned = null;
    markerNote = 'No first-party marker visible: storage is partitioned, or the lab was never opened directly in this browser. Open '
      + location.origin + '/lab in a tab, then run the checks again.';
  }
}

// IndexedDB gets the same first-party marker test as localStorage.
function idbOpen() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('stork-lab', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('marker');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    setTimeout(() => reject(new Error('timeout')), 3000);
  });
}

function idbRequest(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const req = fn(db.transaction('marker', mode).objectStore('marker'));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function checkIndexedDB() {
  let db;
  try {
    db = await idbOpen();
  } catch {
    lab.indexedDB = false;
    idbNote = 'Cannot tell without IndexedDB.';
    return;
  }
  lab.indexedDB = true;
  try {
    if (!framed) {
      await idbRequest(db, 'readwrite', (s) => s.put(new Date().toISOString(), MARKER));
      idbNote = 'Opened first-party, so not applicable. A marker was saved.';
      return;
    }
    const marker = await idbRequest(db, 'readonly', (s) => s.get(MARKER));
    if (marker) {
      lab.indexedDBPartitioned = false;
      idbNote = 'this frame reads the marker Stork’s first-party page wrote at ' + marker + '.';
    } else if (lab.indexedDBPartitioned !== true) {
      lab.indexedDBPartitioned = null;
      idbNote = 'No first-party marker visible: partitioned, or the lab was never opened directly in this browser.';
    }
  } catch {
    idbNote = 'Reading the marker failed.';
  } finally {
    db.close();
  }
}

async function checkServerView() {
  try {
    const res = await request('GET', '/api/lab/seen');
    lab.server.fetch = res.status === 200 ? res.data : null;
  } catch {
    lab.server.fetch = null;
  }
  const d = lab.server.document;
  lab.storageAccessHeaders = !d ? null : d.secFetchStorageAccess || 'not sent';
}

async function checkStorageAccess() {
  if (typeof document.hasStorageAccess !== 'function') {
    lab.hasStorageAccess = 'unsupported';
    return;
  }
  try {
    lab.hasStorageAccess = await document.hasStorageAccess();
  } catch {
    lab.hasStorageAccess = null;
  }
}

async function checkCookies() {
  const result = await cookieRoundTrip();
  lab.unpartitionedCookie = result ? result.unpartitioned : null;
  lab.partitionedCookie = result ? result.partitioned : null;
}

async function runChecks() {
  lab.cookieEnabled = navigator.cookieEnabled;
  checkLocalStorage();
  render();
  // The echo runs after the cookie check, so it shows which test cookies came back.
  await Promise.all([checkStorageAccess(), checkCookies().then(checkServerView), checkIndexedDB()]);
  render();
}

// After a grant, Chromium can hand out the unpartitioned localStorage too;
// comparing it with this frame's own turns "unknown" into a real answer.
async function compareFirstPartyStorage() {
  if (!framed || !lab.localStorage) return;
  let handle;
  try {
    handle = await document.requestStorageAccess({ localStorage: true });
  } catch {
    return;
  }
  if (!handle || !handle.localStorage) return;
  const firstParty = handle.localStorage.getItem(MARKER);
  if (!firstParty) return;
  if (localStorage.getItem(MARKER) === firstParty) {
    lab.localStoragePartitioned = false;
    markerNote = 'the first-party marker from ' + firstParty + ' is visible in this frame.';
  } else {
    lab.localStoragePartitioned = true;
    markerNote = '';
  }
}

// Chromium's extended form hands out unpartitioned storage beyond cookies.
async function tryStorageAccessAll() {
  try {
    const handle = await document.requestStorageAccess({ all: true });
    if (!handle || typeof handle !== 'object') {
      lab.storageAccessAll = 'unsupported';
      return;
    }
    const names = [];
    for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'caches', 'locks', 'BroadcastChannel', 'SharedWorker']) {
      try {
        if (handle[name]) names.push(name);
      } catch {
        // an accessor that throws: not granted
      }
    }
    lab.storageAccessAll = names;
  } catch {
    lab.storageAccessAll = 'denied';
  }
}

async function onRequest() {
  requestBtn.disabled = true;
  // Results change below: readers of the JSON wait for "done" again.
  document.body.dataset.labState = 'running';
  if (typeof document.requestStorageAccess !== 'function') {
    lab.requestStorageAccess = 'unsupported';
  } else {
    try {
      await document.requestStorageAccess();
      lab.requestStorageAccess = 'granted';
    } catch {
      lab.requestStorageAccess = 'denied';
    }
  }
  document.body.dataset.labRequest = lab.requestStorageAccess;
  render();
  if (lab.requestStorageAccess === 'granted') {
    // A grant changes what the other checks see.
    await tryStorageAccessAll();
    await compareFirstPartyStorage();
    await runChecks();
  }
  document.body.dataset.labState = 'done';
  requestBtn.disabled = false;
}

async function onRerun() {
  rerunBtn.disabled = true;
  document.body.dataset.labState = 'running';
  await runChecks();
  document.body.dataset.labState = 'done';
  rerunBtn.disabled = false;
}

async function onCopy() {
  const text = jsonEl.textContent;
  try {
    await navigator.clipboard.writeText(text);
    copyStatus.textContent = 'Copied.';
    return;
  } catch {
    // Clipboard API unavailable or not allowed in this frame: select instead.
  }
  const range = document.createRange();
  range.selectNodeContents(jsonEl);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  copyStatus.textContent = copied ? 'Copied.' : 'Selected: press Ctrl+C (⌘C) to copy.';
}

async function onSave() {
  const saveBtn = $('lab-save');
  const status = $('lab-save-status');
  saveBtn.disabled = true;
  status.textContent = 'Saving…';
  try {
    const note = $('lab-note').value.trim().slice(0, 200);
    const res = await request('POST', '/api/lab/reports', { body: { lab, note } });
    if (res.status !== 201 || !res.data) {
      status.textContent = (res.data && res.data.message) || 'Saving failed (error ' + res.status + ').';
      return;
    }
    document.body.dataset.labReport = res.data.id;
    // Ids saved from this tab, for one compare link (storage may be blocked here).
    let saved = [];
    try { saved = JSON.parse(sessionStorage.getItem('stork-lab-saved') || '[]'); } catch { saved = []; }
    saved.push(res.data.id);
    try { sessionStorage.setItem('stork-lab-saved', JSON.stringify(saved.slice(-12))); } catch { /* only this one */ }
    status.replaceChildren('Saved: ', link(res.data.url, res.data.url), ' (kept 30 days).');
    const compare = $('lab-compare');
    const url = location.origin + '/lab/compare?r=' + saved.join(',');
    compare.replaceChildren('Compare: ', link(url, saved.length > 1 ? 'the ' + saved.length + ' results saved here' : 'add ids of other browsers, comma-separated'));
    compare.hidden = false;
  } catch (err) {
    status.textContent = err.message;
  } finally {
    saveBtn.disabled = false;
  }
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  a.rel = 'noopener';
  return a;
}

// The framing page sizes the frame to the lab (any page may frame the lab,
// so the message goes to any parent; it carries only a height).
function reportHeight() {
  if (!framed || !('ResizeObserver' in window)) return;
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'stork:lab-height', height }, '*');
  }).observe(document.documentElement);
}

function describeContext() {
  $('lab-context').textContent = framed
    ? 'Framed by ' + lab.topLevelSite + ' — results describe a third-party iframe on that site.'
    : 'Opened directly at ' + location.origin + ' — a first-party visit. Frame this page from another site to test third-party rules.';
}

buildRows();
describeContext();
requestBtn.addEventListener('click', onRequest);
rerunBtn.addEventListener('click', onRerun);
$('lab-copy').addEventListener('click', onCopy);
$('lab-save').addEventListener('click', onSave);
reportHeight();
runChecks().then(() => {
  document.body.dataset.labState = 'done';
});
