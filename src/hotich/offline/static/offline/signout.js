/* Sign-out wipes the offline work kept on this browser (entries, images, keyings not sent, the
   app's cached files), then signs out. */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form || !form.matches || !form.matches("form[data-signout]")) return;
    if (form.dataset.wiped) return;
    ev.preventDefault();
    var done = function () { form.dataset.wiped = "1"; form.submit(); };
    var wipe = new Promise(function (resolve) {
      localStorage.removeItem("hotich-offline-device");
      sessionStorage.removeItem("hotich-offline-key");
      var req = indexedDB.deleteDatabase("hotich-offline");
      req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
    }).then(function () {
      var jobs = [];
      if (window.caches) {
        jobs.push(caches.keys().then(function (names) {
          return Promise.all(names.filter(function (n) { return n.indexOf("hotich-offline-") === 0; })
            .map(function (n) { return caches.delete(n); }));
        }));
      }
      if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
        jobs.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
          return Promise.all(regs.map(function (r) { return r.unregister(); }));
        }));
      }
      return Promise.all(jobs);
    });
    // never keep the person from signing out: after 3 s sign out anyway
    Promise.race([wipe, new Promise(function (r) { setTimeout(r, 3000); })]).then(done, done);
  });
})();
