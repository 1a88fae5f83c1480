// Fills the unread-notification badge in the navigation (notifications:unread_count, JSON).
(function () {
  "use strict";
  function fill(badge) {
    var url = badge.getAttribute("data-unread-url");
    if (!url || badge.getAttribute("data-filled")) return;
    badge.setAttribute("data-filled", "1");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("no count");
        return response.json();
      })
      .then(function (data) {
        if (!data.count) return;
        var visible = document.createElement("span");
        visible.className = "utrecht-badge-counter";
        visible.setAttribute("aria-hidden", "true");
        visible.textContent = String(data.count);
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = "(" + data.text + ")";
        badge.appendChild(visible);
        badge.appendChild(hidden);
      })
      .catch(function () {});
  }
  function init() {
    document.querySelectorAll("[data-unread-url]").forEach(fill);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
