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

  // Follow a background import: update the progress bar, reload the page when it ends.
  var run = document.querySelector("[data-progress-url]");
  if (run && window.fetch) {
    var bar = document.getElementById("run-bar");
    var status = document.getElementById("run-status");
    var text = run.getAttribute("data-progress-text") || "";
    var poll = function () {
      fetch(run.getAttribute("data-progress-url"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) { return; }
          if (p.status !== "running") { window.location.reload(); return; }
          if (bar) { bar.max = p.total; bar.value = p.done; }
          if (status) {
            status.textContent = text.replace("{done}", p.done).replace("{total}", p.total);
          }
          window.setTimeout(poll, 500);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 300);
  }
})();
