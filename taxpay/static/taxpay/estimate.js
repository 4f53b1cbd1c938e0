/* The tax estimator: only the chosen tax's questions are shown, and the result is where the citizen looks.
   Without JavaScript both sets of questions stay and the form's #estimate-result still scrolls to the result. */
(function () {
  "use strict";
  var choice = document.getElementById("id_tax");
  var sets = document.querySelectorAll("fieldset[data-tax]");
  function showChosen() {
    for (var i = 0; i < sets.length; i++) {
      var chosen = sets[i].getAttribute("data-tax") === choice.value;
      sets[i].hidden = !chosen;
      sets[i].disabled = !chosen;  // the other tax's answers are not sent
    }
  }
  if (choice && sets.length) {
    choice.addEventListener("change", showChosen);
    showChosen();
  }
  // After "คำนวณ": the result (or the first error) comes into view and takes the focus, so a screen reader reads it.
  var target = document.getElementById("estimate-result") ||
      (location.search && document.querySelector("#estimate-form .errorlist, #estimate-form .has-error"));
  if (target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.scrollIntoView({block: "start"});
    target.focus({preventScroll: true});
  }
})();
