/* Behaviour every page shares; the Content-Security-Policy allows no inline script or handler. */
(function () {
  "use strict";
  /* A <select data-autosubmit> (the language choice) submits its form when changed. */
  document.addEventListener("change", function (ev) {
    var target = ev.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
})();
/* A form's error summary takes the focus when the page opens, so the reader hears the errors
   first; its links move the focus to the field itself. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (ev) {
    var link = ev.target instanceof Element ? ev.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) { ev.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
  });
})();

/* A <select data-unit-picker> (province, then its communes) gets a search box above it: typing
   part of a name, with or without diacritics, keeps only the matching units and selects the first;
   Enter submits, the arrow keys move into the list. Without script the select works alone. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function setUp(select) {
    if (select.options.length < 3) { return; }
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.className = "picker-search";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "picker-label";
    label.textContent = select.dataset.searchLabel || "";
    var status = document.createElement("p");
    status.className = "help picker-status";
    status.setAttribute("role", "status");
    select.before(label, input);
    select.after(status);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var first = null, count = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var name = fold(option.textContent);
        var match = words.every(function (w) { return name.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match) { count += 1; first = first || option; }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (words.length) {
        select.size = Math.min(Math.max(count, 2), 8);
        status.textContent = (select.dataset.foundLabel || "{n}").replace("{n}", String(count));
        if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) { first.selected = true; }
        if (first && !select.selectedOptions.length) { first.selected = true; }
      } else {
        select.size = 0;
        status.textContent = "";
      }
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); select.focus(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-unit-picker]"), setUp);
  });
})();
