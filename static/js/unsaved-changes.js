// Warns before leaving a form with unsaved changes (the one-page referral form, ADR 0163).
// A form marked data-warn-unsaved counts as changed after any input in it; data-unsaved marks
// one that came back with errors, whose input was not saved either. Submitting the form (the
// save, or a submit) clears it, so the page after a save or a submit never warns. Without
// script nothing is warned, and nothing else changes.
(function () {
  "use strict";
  var changed = false;

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    if (!forms.length) return;
    forms.forEach(function (form) {
      if (form.hasAttribute("data-unsaved")) changed = true;
      form.addEventListener("input", function () { changed = true; });
      form.addEventListener("change", function () { changed = true; });
      form.addEventListener("submit", function () { changed = false; });
    });
    window.addEventListener("beforeunload", function (event) {
      if (!changed) return;
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value; the text itself is the browser's
    });
  });
})();
