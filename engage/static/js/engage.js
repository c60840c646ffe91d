// Progressive enhancement for survey pages. Everything works without it; with it, questions that
// depend on an answer in the same section appear and disappear live, and the error summary gets focus.
(function () {
  "use strict";

  function answerOf(form, fieldName) {
    var inputs = form.querySelectorAll('[name="' + fieldName + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) { values.push(input.value); }
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function holds(condition, values) {
    if (!values.length) { return false; }
    if (condition["in"]) {
      return values.some(function (v) { return condition["in"].map(String).indexOf(v) !== -1; });
    }
    var n = parseFloat(values[0]);
    if (isNaN(n)) { return false; }
    if ("min" in condition && n < condition.min) { return false; }
    if ("max" in condition && n > condition.max) { return false; }
    return true;
  }

  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (group) {
      var sourceField = group.getAttribute("data-show-if-field");
      if (!form.querySelector('[name="' + sourceField + '"]')) { return; } // decided on an earlier page
      var visible = holds(JSON.parse(group.getAttribute("data-show-if")), answerOf(form, sourceField));
      group.hidden = !visible;
      group.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !visible; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-form");
    if (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
    }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
