// Escalation Desk's service worker: precaches every file of one build (team mode's on its
// first use; the console's on its first use too when the browser asks to save data), serves them when the network is gone, and never takes over under an agent's
// hands. The placeholders below are filled in after each build by .ci/finish-build (Trunk
// hashes file names anew every build).
const BUILD = '__BUILD__';
const FILES = __FILES__;
// The console's files: cached with the rest unless the browser asks to save data, then the
// first time they are fetched.
const LATER = __LATER__;
// Files only team mode loads: cached the first time they are fetched, then served offline.
const ON_USE = __ON_USE__;
const CACHE = `escdesk-${BUILD}`;

// A file whose name carries its content's hash can come from the browser's own cache (the
// page that registered this worker has just downloaded it: not twice on a first visit). Any
// other is fetched from the server itself: a page the browser still keeps from the last build
// (a server that lets it keep files) would name that build's files, which are gone.
const fresh = (f) => new Request(f, { cache: /-[0-9a-f]{16}(_bg)?\.[a-z]+$/.test(f) ? 'default' : 'reload' });
const savingData = () => Boolean(self.navigator.connection && self.navigator.connection.saveData);

self.addEventListener('install', (event) => {
  // Install completes only once every file is cached.
  const wanted = savingData() ? FILES : FILES.concat(LATER);
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(wanted.map(fresh))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('escdesk-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// A new version waits until the agent chooses to reload (the app sends this message).
self.addEventListener('message', (event) => {
  if (event.data === 'escdesk:activate') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      if (new URL(request.url).pathname.endsWith('/embed.json')) {
        // The embedding allowlist is the site owner's to change at any time: network first.
        return fetch(request).catch(async () => (await cache.match(request)) || Response.error());
      }
      if (request.mode === 'navigate') {
        // Any address of the app opens one of its two pages (the console, or else the desk);
        // their screens live in the fragment.
        const page = new URL(request.url).pathname.endsWith('/console.html') ? './console.html' : './index.html';
        const kept = await cache.match(page);
        if (kept) return kept;
        const response = await fetch(request);
        if (response.ok && page === './console.html') await cache.put(page, response.clone());
        return response;
      }
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      const path = './' + new URL(request.url).pathname.split('/').pop();
      if (response.ok && (ON_USE.includes(path) || LATER.includes(path))) await cache.put(request, response.clone());
      return response;
    }),
  );
});
