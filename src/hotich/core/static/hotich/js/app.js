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
