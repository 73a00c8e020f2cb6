// evidencepack serve: reloads the page when a rebuild succeeded, and shows the build's errors
// over the last good build while the content does not check. Injected into served pages only;
// bundles written by `evidencepack build` carry no script.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-generation") : null;
  var box = null;
  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.id = "evidencepack-serve-error";
      var s = box.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "2147483647";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.margin = "0"; s.padding = "1em";
      s.background = "#fff0f0"; s.color = "#6b0000"; s.borderBottom = "3px solid #b00000";
      s.font = "14px/1.4 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The content does not check; this is the last good build.\n\n" + text;
  }
  function hide() {
    if (box) { box.remove(); box = null; }
  }
  function poll() {
    fetch("/__evidencepack/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (shown !== null && String(s.generation) !== shown) {
          location.reload();
          return;
        }
        if (s.error) { show(s.error); } else { hide(); }
        setTimeout(poll, 250);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
