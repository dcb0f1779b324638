/* Keying page: the entry's crop shows at once (the size it is shown at, sharp without a viewer);
   OpenSeadragon on the page's IIIF tiles is loaded only when the clerk zooms or pans (buttons,
   keys + - 0 and arrows on the image, wheel, drag). Marker shortcuts; Ctrl+Enter saves. */
(function () {
  "use strict";
  var el = document.getElementById("dz-viewer");
  var form = document.getElementById("dz-key-form");
  var status = document.querySelector(".dz-viewer-status");
  var viewer = null;
  var waiting = null; // actions asked for while the viewer loads
  var img = el ? el.querySelector(".dz-entry-image") : null;

  function usable() { if (el) el.dataset.loaded = "1"; }
  if (img) {
    if (img.complete && img.naturalWidth) usable();
    else img.addEventListener("load", usable);
  }

  function say(key) { if (status) status.textContent = key ? status.dataset[key] || "" : ""; }

  function region(item) {
    var size = item.getContentSize();
    return item.imageToViewportRectangle(
      parseFloat(el.dataset.x) * size.x, parseFloat(el.dataset.y) * size.y,
      parseFloat(el.dataset.w) * size.x, parseFloat(el.dataset.h) * size.y
    );
  }

  function start() {
    el.classList.add("dz-osd");
    viewer = window.OpenSeadragon({
      element: el,
      // IIIF tiles when the page has them (only what the zoom needs), else the whole web image
      tileSources: el.dataset.iiif || { type: "image", url: el.dataset.src },
      // no navigator and the page's own zoom buttons: on a weak line every image counts
      showNavigator: false,
      showNavigationControl: false,
      gestureSettingsMouse: { clickToZoom: false },
      // the keys are the page's own (below), on the one focusable image
      keyboardNavEnabled: false,
      tabIndex: -1,
    });
    viewer.addHandler("open", function () {
      var item = viewer.world.getItemAt(0);
      var rect = region(item);
      var mark = document.createElement("div");
      mark.className = "dz-region";
      viewer.addOverlay({ element: mark, location: rect });
      viewer.viewport.fitBounds(rect, true);
      var queued = waiting || [];
      waiting = null;
      queued.forEach(function (act) { act(); });
      // the crop stays in front until the tiles of this zoom have arrived
      function done() { if (img) { img.remove(); img = null; } say(""); }
      item.addHandler("fully-loaded-change", function (e) { if (e.fullyLoaded) done(); });
      if (item.getFullyLoaded()) done();
    });
    viewer.addHandler("open-failed", function () { say("failed"); });
  }

  function withViewer(act) {
    if (!el) return;
    if (viewer && !waiting) { act(); return; }
    if (waiting) { waiting.push(act); return; }
    waiting = [act];
    if (window.OpenSeadragon) { start(); return; }
    say("loading");
    var script = document.createElement("script");
    script.src = el.dataset.osd;
    script.addEventListener("load", start);
    script.addEventListener("error", function () {
      waiting = null;
      script.remove();
      say("failed");
    });
    document.head.appendChild(script);
  }

  function zoom(how) {
    withViewer(function () {
      if (how === "home") viewer.viewport.goHome();
      else if (how === "in" || how === "out") viewer.viewport.zoomBy(how === "in" ? 1.5 : 1 / 1.5);
      else viewer.viewport.panBy(viewer.viewport.deltaPointsFromPixels(new window.OpenSeadragon.Point(how[0], how[1])));
      viewer.viewport.applyConstraints();
    });
  }

  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () { zoom(button.dataset.zoom); });
  });
  if (el) {
    var keys = {
      "+": "in", "=": "in", "-": "out", "_": "out", "0": "home",
      ArrowLeft: [-80, 0], ArrowRight: [80, 0], ArrowUp: [0, -80], ArrowDown: [0, 80],
    };
    el.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || !(ev.key in keys)) return;
      ev.preventDefault();
      zoom(keys[ev.key]);
    });
    // the first wheel turn or drag on the crop opens the viewer, which then takes them
    el.addEventListener("wheel", function (ev) {
      if (viewer) return;
      ev.preventDefault();
      zoom(ev.deltaY < 0 ? "in" : "out");
    }, { passive: false });
    el.addEventListener("pointerdown", function () { if (!viewer) withViewer(function () {}); });
  }
  if (!form) return;
  function markerFor(target) {
    var field = target && target.closest ? target.closest(".dz-field") : null;
    return field ? field.querySelector(".dz-marker") : null;
  }
  function refresh(field) {
    var m = field.querySelector(".dz-marker");
    field.classList.toggle("dz-marked", !!(m && m.value));
  }
  form.querySelectorAll(".dz-field").forEach(function (f) {
    refresh(f);
    var m = f.querySelector(".dz-marker");
    if (m) m.addEventListener("change", function () { refresh(f); });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    if (!(ev.altKey && ev.shiftKey)) return;
    var code = ev.code;
    if (code === "KeyV" && el) { ev.preventDefault(); el.focus(); return; }
    var marker = markerFor(document.activeElement);
    if (!marker) return;
    var value = { KeyK: "illegible", KeyB: "blank", KeyX: "" }[code];
    if (value === undefined) return;
    ev.preventDefault();
    marker.value = value;
    refresh(marker.closest(".dz-field"));
    // move on to the next field, as after typing a value
    var inputs = Array.prototype.slice.call(form.querySelectorAll(".dz-field input, .dz-field select:not(.dz-marker)"));
    var i = inputs.indexOf(document.activeElement);
    if (value && i >= 0 && i + 1 < inputs.length) inputs[i + 1].focus();
  });
})();
