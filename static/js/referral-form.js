// Shows the pupil's age next to the date of birth while it is typed (the server shows it too),
// and only the fields of the chosen subject kind.
(function () {
  "use strict";
  function ageOn(birth, today) {
    var years = today.getFullYear() - birth.getFullYear();
    var beforeBirthday =
      today.getMonth() < birth.getMonth() ||
      (today.getMonth() === birth.getMonth() && today.getDate() < birth.getDate());
    return beforeBirthday ? years - 1 : years;
  }
  function update(input) {
    var target = document.getElementById(input.getAttribute("data-age-target"));
    if (!target) return;
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
    if (!match) return;
    var birth = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    var age = ageOn(birth, new Date());
    if (age < 0 || age > 120) return;
    target.textContent = target.getAttribute("data-label") + ": " + age + " " + target.getAttribute("data-years");
  }
  // Shows only the fields of the chosen subject kind (ADR 0154); the server ignores the others.
  function showSubject(kind) {
    document.querySelectorAll("[data-subject-only]").forEach(function (block) {
      block.hidden = block.getAttribute("data-subject-only") !== kind;
    });
    document.querySelectorAll("[data-subject-not]").forEach(function (block) {
      block.hidden = block.getAttribute("data-subject-not") === kind;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[name='subject_kind']").forEach(function (radio) {
      radio.addEventListener("change", function () { if (radio.checked) showSubject(radio.value); });
    });
    document.querySelectorAll("input[data-age-target]").forEach(function (input) {
      input.addEventListener("change", function () { update(input); });
      input.addEventListener("input", function () { update(input); });
    });
  });
})();
