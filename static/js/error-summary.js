// The error summary (ADR 0118): when a page opens with one, focus moves to it so a screen reader
// reads it first and a keyboard user tabs straight into its links. The summary also carries
// autofocus and tabindex="-1", so browsers that run no script still land there. A link in the
// summary moves focus to its field (not only the scroll position), as the pattern requires.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      if (target.tabIndex < 0 && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
      if (history.replaceState) history.replaceState(null, "", "#" + target.id);
    });
  });
})();
