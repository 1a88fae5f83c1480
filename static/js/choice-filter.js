// A search box above every long list of checkboxes marked data-choice-filter (the meeting form).
// Progressive enhancement: without JavaScript the list is a scroll box in which every option stays
// usable; with it, typing narrows the options shown. Hidden options keep their checked state, so a
// filter never changes what is submitted. The texts come from data attributes on the form, which
// the template translates (no inline script: the CSP allows only our own files). ADR 0111.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(choices, form, index) {
    var options = Array.prototype.slice.call(choices.querySelectorAll(".utrecht-form-field"));
    var id = "choice-filter-" + index;
    choices.id = choices.id || id + "-list";
    var box = document.createElement("div");
    box.className = "tandem-choice-filter";
    var label = document.createElement("label");
    label.className = "utrecht-form-label";
    label.htmlFor = id;
    label.textContent = form.getAttribute("data-choice-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.className = "utrecht-textbox utrecht-textbox--html-input";
    input.setAttribute("aria-controls", choices.id);
    input.setAttribute("aria-describedby", id + "-status");
    var status = document.createElement("p");
    status.id = id + "-status";
    status.className = "tandem-muted tandem-choice-filter__status";
    status.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    choices.parentNode.insertBefore(box, choices);

    function update() {
      var terms = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var checked = 0;
      options.forEach(function (option) {
        var text = fold(option.textContent);
        var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
        option.hidden = !match;
        if (match) shown += 1;
        if (option.querySelector("input:checked")) checked += 1;
      });
      status.textContent = form
        .getAttribute("data-choice-filter-status")
        .replace("{shown}", shown)
        .replace("{total}", options.length)
        .replace("{checked}", checked);
    }
    input.addEventListener("input", update);
    // Enter in the search box filters; it must not submit the meeting half-filled in.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    choices.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var index = 0;
    document.querySelectorAll("form[data-choice-filter-label] .tandem-choices").forEach(function (choices) {
      if (!choices.querySelector("input[data-choice-filter]")) return;
      index += 1;
      enhance(choices, choices.closest("form"), index);
    });
  });
})();
