// MiKO client telemetry: browser errors, page views and web vitals to the site's own collector (/_telemetry/*).
// No dependency, no inline script: load it as a module from index.html (or import it first in the app's entry).
// Schema and privacy rules: docs/readme/client-telemetry.md. The collector redacts again; this module sends no
// query string, no fragment and no user data of its own.

const ENDPOINT = { errors: '/_telemetry/errors', vitals: '/_telemetry/vitals' };
/** The same error at most this often per page load: a render loop must not flood the collector. */
const MAX_SAME_ERROR = 3;
const MAX_ERRORS_PER_PAGE = 30;

let release = 'unknown';
const sentCounts = new Map();
let sentTotal = 0;
const vitals = {};

function pagePath() {
  return location.pathname;
}

function browserFamily() {
  const ua = navigator.userAgent;
  if (/\bEdg\//.test(ua)) return 'Edge';
  if (/\bFirefox\//.test(ua)) return 'Firefox';
  if (/\b(?:Chrome|Chromium|HeadlessChrome)\//.test(ua)) return 'Chrome';
  if (/\bVersion\/[\d.]+.*Safari\//.test(ua)) return 'Safari';
  return 'other';
}

function post(url, body) {
  const json = JSON.stringify(body);
  try {
    // keepalive survives the page being closed, like sendBeacon, and lets us name the content type.
    fetch(url, { method: 'POST', body: json, headers: { 'content-type': 'application/json' }, keepalive: true, credentials: 'omit' }).catch(() => undefined);
  } catch {
    navigator.sendBeacon?.(url, new Blob([json], { type: 'application/json' }));
  }
}

export function reportError(error, source = 'manual') {
  const message = String((error && error.message) || error || 'unknown error').slice(0, 1000);
  const count = (sentCounts.get(message) || 0) + 1;
  sentCounts.set(message, count);
  if (count > MAX_SAME_ERROR || ++sentTotal > MAX_ERRORS_PER_PAGE) return;
  const stack = error && typeof error.stack === 'string' ? error.stack.slice(0, 4000) : undefined;
  post(ENDPOINT.errors, { message, stack, path: pagePath(), release, browser: browserFamily(), time: Date.now(), source });
}

function observe(type, callback, options = {}) {
  try {
    new PerformanceObserver((list) => list.getEntries().forEach(callback)).observe({ type, buffered: true, ...options });
  } catch {
    // An entry type this browser does not support: that vital is simply not sent.
  }
}

function watchVitals() {
  observe('largest-contentful-paint', (entry) => { vitals.LCP = Math.round(entry.startTime); });
  observe('layout-shift', (entry) => { if (!entry.hadRecentInput) vitals.CLS = Math.round(((vitals.CLS || 0) + entry.value) * 1000) / 1000; });
  // The slowest interaction so far: INP's value on pages with few interactions (the web-vitals package refines it).
  observe('event', (entry) => { if (entry.interactionId) vitals.INP = Math.max(vitals.INP || 0, Math.round(entry.duration)); }, { durationThreshold: 40 });
  const navigation = performance.getEntriesByType('navigation')[0];
  if (navigation) vitals.TTFB = Math.round(navigation.responseStart);
  let sent = false;
  const flush = () => {
    if (sent || Object.keys(vitals).length === 0) return;
    sent = true;
    post(ENDPOINT.vitals, { path: pagePath(), release, browser: browserFamily(), metrics: { ...vitals } });
  };
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  addEventListener('pagehide', flush);
}

let started = false;

function startTelemetry(options = {}) {
  if (started) return;
  started = true;
  if (options.release) release = options.release;
  addEventListener('error', (event) => reportError(event.error || event.message, 'error'));
  addEventListener('unhandledrejection', (event) => reportError(event.reason, 'unhandledrejection'));
  watchVitals();
  const pageView = () => post(ENDPOINT.vitals, { path: pagePath(), release, browser: browserFamily(), pageView: true, metrics: {} });
  if (options.release) pageView();
  else {
    // The release id is in the runtime config the deploy writes; until it arrives errors say "unknown".
    fetch('/config.json', { credentials: 'omit' }).then((r) => r.json()).then((config) => { release = config.release || release; }).catch(() => undefined).finally(pageView);
  }
}

startTelemetry(globalThis.MIKO_TELEMETRY || {});
