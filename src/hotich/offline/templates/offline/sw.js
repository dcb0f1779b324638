/* Service worker of the offline app: keeps the app's page and files so that it opens without the
   network, and, where the browser has Background Sync, sends the changes waiting in IndexedDB
   when the line returns even if the page is closed. It never holds the key: it sends each change
   as the page stored it, encrypted, and the server (which derives the device's key) opens it
   (docs/adr/0022-offline-keying.md). */
"use strict";
var SHELL = {{ shell|safe }};
var CACHE = "hotich-offline-" + {{ version|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(SHELL.map(function (url) {
        return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (r) {
          if (r.ok && !r.redirected) return cache.put(url, r);
        });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("hotich-offline-") === 0 && n !== CACHE;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var path = url.pathname;
  if (request.mode === "navigate" && path === SHELL[0]) {
    // the page: from the network when the line holds (and kept), else the kept copy
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(SHELL[0], copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(SHELL[0], { ignoreSearch: true });
      })
    );
    return;
  }
  if (SHELL.indexOf(path) > 0) {
    event.respondWith(
      caches.match(path).then(function (hit) { return hit || fetch(request); })
    );
  }
});


/* Background Sync: "hotich-offline-send", registered by the page when a change waits */
var API = {{ api|safe }};

function idb(req) {
  return new Promise(function (resolve, reject) {
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
}

function b64(bytes) {
  var a = new Uint8Array(bytes.buffer ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes);
  var s = "";
  for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
  return btoa(s);
}

function unb64(text) {
  var s = atob(text);
  var a = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a;
}

function openDb() {
  return new Promise(function (resolve, reject) {
    var req = indexedDB.open("hotich-offline");
    // no database yet (or an older one the page has not upgraded): nothing to send
    req.onupgradeneeded = function () { req.transaction.abort(); };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
}

function csrfToken() {
  if (!self.cookieStore) return Promise.resolve(null);
  return self.cookieStore.get("csrftoken").then(function (c) { return c ? c.value : null; });
}

function store(db, name, mode) { return db.transaction(name, mode).objectStore(name); }

function sendQueue() {
  return Promise.all([openDb(), csrfToken()]).then(function (r) {
    var db = r[0];
    var csrf = r[1];
    if (!csrf) { db.close(); return; } // the page sends when it opens
    return idb(store(db, "queue", "readonly").getAll()).then(function (rows) {
      rows = rows.filter(function (row) { return row.state === "pending" && row.device; });
      rows.sort(function (a, b) { return a.at - b.at; });
      return rows.reduce(function (chain, row) {
        return chain.then(function (go) {
          if (!go) return false;
          return fetch(API + "sealed", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
            body: JSON.stringify({ device: row.device, idempotency_key: row.key, iv: b64(row.iv), data: b64(row.data) }),
          }).then(function (response) {
            if (response.status === 200 || response.status === 201) {
              store(db, "queue", "readwrite").delete(row.key);
              if (typeof row.entry === "number") {
                store(db, "entries", "readwrite").delete(row.entry);
                store(db, "images", "readwrite").delete(row.entry);
              }
              return true;
            }
            if (response.status === 409) {
              return response.json().then(function (body) {
                row.state = "conflict";
                row.answer = { iv: unb64(body.sealed.iv), data: unb64(body.sealed.data).buffer };
                store(db, "queue", "readwrite").put(row);
                return true;
              });
            }
            return false; // signed out, refused, invalid: left for the page to show
          });
        });
      }, Promise.resolve(true));
    }).then(function () {
      db.close();
      return self.clients.matchAll({ type: "window" }).then(function (pages) {
        pages.forEach(function (page) { page.postMessage("hotich-offline-sent"); });
      });
    }, function (error) { db.close(); throw error; }); // no line: the browser tries again later
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "hotich-offline-send") event.waitUntil(sendQueue());
});