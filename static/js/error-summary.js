// The error summary (ADR 0118, ADR 0142): when a page opens with one, focus moves to it so a
// screen reader reads it first and a keyboard user tabs straight into its links. The summary also
// carries autofocus and tabindex="-1", so browsers that run no script still land there. A link in
// the summary moves focus to its field (not only the scroll position), as the pattern requires.
// A form that htmx swaps in with errors gets the same: after the swap settles, focus moves to the
// summary inside the new content. Clicks are handled on the document, so a swapped-in summary's
// links work without being wired up again.
(function () {
  "use strict";

  function focusSummaryIn(root) {
    if (!root || !root.querySelector) return;
    var summary = root.matches && root.matches("[data-error-summary]")
      ? root
      : root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
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

  document.addEventListener("htmx:afterSettle", function (event) {
    focusSummaryIn(event.detail && event.detail.elt ? event.detail.elt : event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusSummaryIn(document);
  });
})();
