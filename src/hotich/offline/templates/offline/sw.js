/* Service worker of the offline keying app: keeps the app's page and files so that it opens
   without the network. Data never passes through here: entries, images and keyings are kept
   encrypted in IndexedDB by the page. */
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
