// Kaiku's service worker: keeps the app so that it opens with no network.
// The build stamps CACHE with a hash of the app, so a new build replaces the cache.
const CACHE = "kaiku-__VERSION__";
// The files of each part of the built app (the build fills this in). The holder's part and the
// common files are kept at install; the scanner's and the console's once they are first opened,
// and at every update after that, so a scanner that is offline for days keeps working.
const PARTS = __PARTS__;
const PAGES = { holder: "/index.html", scan: "/scan.html", staff: "/staff.html" };

// The part a page belongs to, by its path (as app/parts.rs decides).
function partOf(pathname) {
  const under = (top) => pathname === top || pathname.startsWith(top + "/");
  return under("/scan") ? "scan" : under("/staff") ? "staff" : "holder";
}

// The parts this device has opened before, from the caches of earlier versions.
async function partsInUse() {
  const used = new Set(["common", "holder"]);
  for (const key of await caches.keys()) {
    if (!key.startsWith("kaiku-")) continue;
    const old = await caches.open(key);
    for (const [part, page] of Object.entries(PAGES)) {
      if (await old.match(page)) used.add(part);
    }
  }
  return used;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    partsInUse()
      .then((used) => caches.open(CACHE).then((cache) => cache.addAll([...used].flatMap((p) => PARTS[p]))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kaiku-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// From the cache first; what is fetched is kept, so a part opened once opens offline.
async function cached(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API always goes to the network: the app handles being offline itself.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Every path of a part is that part's page.
    event.respondWith(cached(new Request(PAGES[partOf(url.pathname)])));
    return;
  }
  event.respondWith(cached(request));
});
