/* The offline store: IndexedDB "hotich-offline" (wiped on sign-out by signout.js), every record encrypted with AES-GCM under the
   device's key (given by the server to the signed-in user, kept for the session only:
   docs/adr/0022-offline-keying.md). Stores: "entries" (an entry taken with its form), "images"
   (its image), "forms" (the desk's intake forms), "queue" (changes waiting to be sent: keyings,
   arbitration decisions, paper dossiers). */
(function () {
  "use strict";
  var NAME = "hotich-offline";
  var KEY_SLOT = "hotich-offline-key";
  var DEVICE_SLOT = "hotich-offline-device";
  var dbPromise = null;
  var cryptoKey = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(NAME, 2);
      req.onupgradeneeded = function () {
        var db = req.result;
        var has = function (name) { return db.objectStoreNames.contains(name); };
        if (!has("entries")) db.createObjectStore("entries", { keyPath: "id" });
        if (!has("images")) db.createObjectStore("images", { keyPath: "id" });
        if (!has("queue")) db.createObjectStore("queue", { keyPath: "key" }).createIndex("entry", "entry");
        // version 2: the desk's intake forms (one record, "intake")
        if (!has("forms")) db.createObjectStore("forms", { keyPath: "id" });
      };
      req.onsuccess = function () {
        var db = req.result;
        // a sign-out in another tab deletes the database: let it
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = function () { reject(req.error); };
    });
    return dbPromise;
  }

  function tx(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () {
          resolve(result && typeof result.result !== "undefined" ? result.result : result);
        };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function b64(bytes) {
    var s = "";
    var a = new Uint8Array(bytes);
    for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
    return btoa(s);
  }

  function unb64(text) {
    var s = atob(text);
    var a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }

  function setKey(base64) {
    return crypto.subtle.importKey("raw", unb64(base64), "AES-GCM", false, ["encrypt", "decrypt"])
      .then(function (key) {
        cryptoKey = key;
        sessionStorage.setItem(KEY_SLOT, base64);
        return key;
      });
  }

  function restoreKey() {
    var kept = sessionStorage.getItem(KEY_SLOT);
    return kept ? setKey(kept) : Promise.resolve(null);
  }

  function seal(bytes) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, cryptoKey, bytes)
      .then(function (data) { return { iv: iv, data: data }; });
  }

  function open_(sealed) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, cryptoKey, sealed.data);
  }

  function sealJson(value) {
    return seal(new TextEncoder().encode(JSON.stringify(value)));
  }

  function openJson(sealed) {
    return open_(sealed).then(function (data) { return JSON.parse(new TextDecoder().decode(data)); });
  }

  function all(store) {
    return tx(store, "readonly", function (s) { return s.getAll(); });
  }

  var Store = {
    hasKey: function () { return !!cryptoKey; },
    setKey: setKey,
    restoreKey: restoreKey,
    device: function () { return localStorage.getItem(DEVICE_SLOT); },
    setDevice: function (id) { localStorage.setItem(DEVICE_SLOT, id); },
    forgetDevice: function () { localStorage.removeItem(DEVICE_SLOT); sessionStorage.removeItem(KEY_SLOT); cryptoKey = null; },

    /* an entry with its form (encrypted), and its image (encrypted bytes) */
    putEntry: function (entry, form, imageBytes) {
      return Promise.all([sealJson({ entry: entry, form: form }), seal(imageBytes)]).then(function (s) {
        return tx("entries", "readwrite", function (st) {
          st.put({ id: entry.id, iv: s[0].iv, data: s[0].data });
        }).then(function () {
          return tx("images", "readwrite", function (st) { st.put({ id: entry.id, iv: s[1].iv, data: s[1].data }); });
        });
      });
    },
    entryIds: function () {
      return tx("entries", "readonly", function (s) { return s.getAllKeys(); });
    },
    entries: function () {
      return all("entries").then(function (rows) {
        return Promise.all(rows.map(function (r) { return openJson(r); }));
      });
    },
    image: function (id) {
      return tx("images", "readonly", function (s) { return s.get(id); }).then(function (row) {
        return row ? open_(row) : null;
      });
    },
    dropEntry: function (id) {
      return tx("entries", "readwrite", function (s) { s.delete(id); }).then(function () {
        return tx("images", "readwrite", function (s) { s.delete(id); });
      });
    },

    /* the desk's intake forms (the procedures of the officer's unit) */
    putForms: function (forms) {
      return sealJson(forms).then(function (s) {
        return tx("forms", "readwrite", function (st) { st.put({ id: "intake", iv: s.iv, data: s.data }); });
      });
    },
    forms: function () {
      return tx("forms", "readonly", function (s) { return s.get("intake"); }).then(function (row) {
        // a missing record: tx answers the request itself
        return row && row.data ? openJson(row) : null;
      });
    },

    /* the queue: {key, entry, state, iv, data (the change), answer (sealed, on a conflict)} */
    enqueue: function (key, entryId, keying) {
      return sealJson(keying).then(function (s) {
        return tx("queue", "readwrite", function (st) {
          // the device id (not secret) lets the service worker send the change while the page is closed
          st.put({ key: key, entry: entryId, device: localStorage.getItem(DEVICE_SLOT), state: "pending", at: Date.now(), iv: s.iv, data: s.data });
        });
      });
    },
    queue: function () {
      return all("queue").then(function (rows) {
        rows.sort(function (a, b) { return a.at - b.at; });
        return rows;
      });
    },
    pendingCount: function () {
      return all("queue").then(function (rows) {
        return rows.filter(function (r) { return r.state === "pending"; }).length;
      });
    },
    keying: function (row) { return openJson(row); },
    answer: function (row) { return row.answer ? openJson(row.answer) : Promise.resolve(null); },
    mark: function (row, state, answer) {
      var sealing = answer ? sealJson(answer) : Promise.resolve(null);
      return sealing.then(function (sealed) {
        return tx("queue", "readwrite", function (st) {
          row.state = state;
          if (sealed) row.answer = sealed;
          st.put(row);
        });
      });
    },
    dequeue: function (key) {
      return tx("queue", "readwrite", function (s) { s.delete(key); });
    },
  };
  window.HotichOffline = Store;
})();
