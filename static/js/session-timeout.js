// Warns before the idle timeout ends the session (ADR 0042), and lets the user stay logged in.
// Loaded only for logged-in users; settings come from data attributes on <body>.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.sessionIdleSeconds, 10);
  var warning = parseInt(body.dataset.sessionWarningSeconds, 10);
  var keepaliveUrl = body.dataset.sessionKeepaliveUrl;
  var expiredUrl = body.dataset.sessionExpiredUrl;
  var dialog = document.getElementById("session-timeout-dialog");
  if (!idle || !dialog || !keepaliveUrl) {
    return;
  }
  var warnTimer = null;
  var expireTimer = null;
  var opener = null;

  function expire() {
    var next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(expiredUrl + "?next=" + next);
  }

  function warn() {
    if (typeof dialog.showModal === "function" && !dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
    }
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(expireTimer);
    warnTimer = window.setTimeout(warn, Math.max(idle - warning, 0) * 1000);
    // A few seconds' margin, so the server has surely ended the session by then.
    expireTimer = window.setTimeout(expire, (idle + 5) * 1000);
  }

  function stayLoggedIn() {
    window
      .fetch(keepaliveUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 204) {
          if (dialog.open) {
            dialog.close();
          }
          if (opener && typeof opener.focus === "function") {
            opener.focus();
          }
          restart();
        } else {
          expire();
        }
      })
      .catch(expire);
  }

  dialog.querySelector("[data-session-keepalive]").addEventListener("click", stayLoggedIn);
  dialog.addEventListener("cancel", function (event) {
    // Escape means "I am still here": keep the session alive rather than leave it to expire.
    event.preventDefault();
    stayLoggedIn();
  });
  // Requests made by htmx also restart the server's idle timer, except a background poll
  // (data-htmx-quiet: the unread badge), which the server does not count either.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-htmx-quiet")) return;
    restart();
  });
  restart();
})();
