/* Keying page: OpenSeadragon viewer zoomed on the entry, marker shortcuts, Ctrl+Enter saves. */
(function () {
  "use strict";
  var el = document.getElementById("dz-viewer");
  var form = document.getElementById("dz-key-form");
  var viewer = null;
  if (el && window.OpenSeadragon) {
    viewer = window.OpenSeadragon({
      element: el,
      prefixUrl: el.dataset.prefix,
      // IIIF tiles when the page has them (only what the zoom needs), else the whole web image
      tileSources: el.dataset.iiif || { type: "image", url: el.dataset.src },
      // no navigator and the page's own zoom buttons: on a weak line every image counts
      showNavigator: false,
      showNavigationControl: false,
      gestureSettingsMouse: { clickToZoom: false },
      keyboardNavEnabled: true,
    });
    viewer.addHandler("open", function () {
      var item = viewer.world.getItemAt(0);
      var size = item.getContentSize();
      var rect = item.imageToViewportRectangle(
        parseFloat(el.dataset.x) * size.x, parseFloat(el.dataset.y) * size.y,
        parseFloat(el.dataset.w) * size.x, parseFloat(el.dataset.h) * size.y
      );
      var mark = document.createElement("div");
      mark.className = "dz-region";
      viewer.addOverlay({ element: mark, location: rect });
      viewer.viewport.fitBounds(rect, true);
      // the image is legible once every tile of the entry's zoom has arrived
      item.addHandler("fully-loaded-change", function (e) {
        if (e.fullyLoaded) el.dataset.loaded = "1";
      });
      if (item.getFullyLoaded()) el.dataset.loaded = "1";
    });
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!viewer) return;
      var how = button.dataset.zoom;
      if (how === "home") viewer.viewport.goHome();
      else viewer.viewport.zoomBy(how === "in" ? 1.5 : 1 / 1.5);
      viewer.viewport.applyConstraints();
    });
  });
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
