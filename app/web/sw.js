// Service worker: keeps the app shell on the device so the form opens without a connection.
// The API is never cached here: registrations made offline wait in IndexedDB (wachtrij.js).
const VERSIE = "__VERSIE__"; // replaced by the service with a hash of the form's files
const CACHE = `wijkcontact-${VERSIE}`;
const SHELL = [
  "/",
  "/app.css",
  "/app.js",
  "/api.js",
  "/wachtrij.js",
  "/dom.js",
  "/vragenlijst.js",
  "/manifest.webmanifest",
  "/icon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((namen) =>
        Promise.all(namen.filter((n) => n !== CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const verzoek = event.request;
  const url = new URL(verzoek.url);
  if (verzoek.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/health/")) return;
  const sleutel = url.pathname === "/index.html" ? "/" : url.pathname;
  if (!SHELL.includes(sleutel)) return;
  // Cache first: the shell of this version is complete in the cache once installed;
  // a new version arrives with a new sw.js (the browser checks it on every visit).
  event.respondWith(
    caches.match(sleutel, { cacheName: CACHE }).then((antwoord) => antwoord || fetch(verzoek)),
  );
});
