/* Place the entries' boxes on the page image; draw a new one, filling the form's x, y, w, h
   (fractions). */
(function () {
  "use strict";
  var area = document.getElementById("dz-draw");
  var box = document.getElementById("dz-new");
  if (!area || !box) return;
  /* The boxes already marked carry their region as data-region="x y w h" (percent). */
  Array.prototype.forEach.call(area.querySelectorAll(".dz-box[data-region]"), function (el) {
    var r = el.getAttribute("data-region").split(" ").map(function (v) {
      return Math.min(100, Math.max(0, parseFloat(v) || 0)) + "%";
    });
    el.style.left = r[0]; el.style.top = r[1]; el.style.width = r[2]; el.style.height = r[3];
  });
  var start = null;
  function frac(ev) {
    var r = area.getBoundingClientRect();
    return {
      x: Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width)),
      y: Math.min(1, Math.max(0, (ev.clientY - r.top) / r.height)),
    };
  }
  function show(a, b) {
    var x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
    var w = Math.abs(a.x - b.x), h = Math.abs(a.y - b.y);
    box.hidden = false;
    box.style.left = x * 100 + "%"; box.style.top = y * 100 + "%";
    box.style.width = w * 100 + "%"; box.style.height = h * 100 + "%";
    return { x: x, y: y, w: w, h: h };
  }
  area.addEventListener("mousedown", function (ev) {
    if (ev.target.closest("a")) return;
    start = frac(ev);
    ev.preventDefault();
  });
  window.addEventListener("mousemove", function (ev) { if (start) show(start, frac(ev)); });
  window.addEventListener("mouseup", function (ev) {
    if (!start) return;
    var r = show(start, frac(ev));
    start = null;
    if (r.w < 0.01 || r.h < 0.01) { box.hidden = true; return; }
    ["x", "y", "w", "h"].forEach(function (k) {
      document.getElementById("m-" + k).value = r[k].toFixed(4);
    });
    document.getElementById("m-num").focus();
  });
})();
