/*
 * Cookie lab: what this browser lets a third-party frame remember. Framed by
 * any site, it reports live, and as JSON in window.storkLab for people filing
 * bug reports and for automated browser tests.
 */
import { cookieRoundTrip, framed, topLevelOrigin } from './common.js';

// Written when the lab is opened top-level, looked for when it is framed: a
// framed copy that can read it shares storage with the first-party site.
const MARKER = 'stork-lab-first-party';

const lab = {
  cookieEnabled: navigator.cookieEnabled,
  unpartitionedCookie: null,
  partitionedCookie: null,
  hasStorageAccess: null,
  requestStorageAccess: null,
  localStorage: null,
  localStoragePartitioned: null,
  topLevelSite: topLevelOrigin() || 'unknown',
  frameSite: location.origin,
  framed,
  userAgent: navigator.userAgent,
};
window.storkLab = lab;

// What the marker check saw, to explain localStoragePartitioned honestly.
let markerNote = '';

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
  ['localStorage', 'localStorage available', (v) => yesNo(v,
    'This frame can store data in localStorage.',
    'localStorage throws here (blocked by settings or policy).',
    'Not checked yet.')],
  ['localStoragePartitioned', 'localStorage partitioned', (v) => {
    if (v === true) return [RED, 'partitioned', 'Confirmed: this frame’s localStorage differs from Stork’s first-party storage.'];
    if (v === false) return [GREEN, 'shared', 'Shared with first party (not partitioned): ' + markerNote];
    return [GREY, 'unknown', markerNote];
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
  await Promise.all([checkStorageAccess(), checkCookies()]);
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
runChecks().then(() => {
  document.body.dataset.labState = 'done';
});
