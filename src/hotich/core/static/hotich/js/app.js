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
