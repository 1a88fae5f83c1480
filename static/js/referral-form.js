// Shows the pupil's age next to the date of birth while it is typed (the server shows it too).
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
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-age-target]").forEach(function (input) {
      input.addEventListener("change", function () { update(input); });
      input.addEventListener("input", function () { update(input); });
    });
  });
})();
