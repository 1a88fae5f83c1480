// A busy state for every htmx request (ADR 0120): while a request runs, its target carries
// aria-busy="true" and the page-wide indicator in base.html is shown. No inline script: the
// policy allows only this file (ADR 0043).
(function () {
  "use strict";
  var running = 0;
  function indicator() {
    return document.getElementById("busy-indicator");
  }
  function targetOf(event) {
    return (event.detail && (event.detail.target || event.detail.elt)) || null;
  }
  // A background poll (the unread badge, data-htmx-quiet) is no work the user waits for; in a
  // hidden tab it is not sent at all (the next one after the tab shows again is).
  function quiet(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-htmx-quiet"));
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (quiet(event)) {
      if (document.hidden) event.preventDefault();
      return;
    }
    var target = targetOf(event);
    if (target) target.setAttribute("aria-busy", "true");
    running += 1;
    var busy = indicator();
    if (busy) busy.hidden = false;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (quiet(event)) return;
    var target = targetOf(event);
    if (target && target.isConnected) target.removeAttribute("aria-busy");
    running = Math.max(0, running - 1);
    var busy = indicator();
    if (busy && running === 0) busy.hidden = true;
  });
  // An outerHTML swap replaces the target: the new element must not inherit a stale state.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = targetOf(event);
    if (target && target.isConnected && running === 0) target.removeAttribute("aria-busy");
  });
})();
