// Koers: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: forms with data-confirm.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);
})();
