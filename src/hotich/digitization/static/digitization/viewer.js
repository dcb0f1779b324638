/* Book viewer: the book's IIIF manifest opened in Mirador (vendored). */
(function () {
  "use strict";
  var el = document.getElementById("dz-mirador");
  if (!el || !window.Mirador) return;
  var manifest = new URL(el.dataset.manifest, window.location.href).href;
  window.Mirador.viewer({
    id: "dz-mirador",
    language: el.dataset.language === "en" ? "en" : "vi",
    windows: [{ manifestId: manifest, thumbnailNavigationPosition: "far-bottom" }],
    window: { allowClose: false, allowMaximize: false, defaultSideBarPanel: "annotations", sideBarOpenByDefault: true },
    workspace: { showZoomControls: true },
    workspaceControlPanel: { enabled: false },
  });
})();
