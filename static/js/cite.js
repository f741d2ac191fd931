// The evidence picker: a "Cite" button puts its citation ([[insight:12]], [[ref:3]]) at the cursor in the text
// the picker serves, then returns the cursor there, so the writer carries on typing.
(function () {
  "use strict";
  document.querySelectorAll("[data-cite-target]").forEach(function (picker) {
    var field = document.getElementById(picker.dataset.citeTarget);
    if (!field) return;
    var caret = null;
    field.addEventListener("blur", function () {
      caret = [field.selectionStart, field.selectionEnd];
    });
    picker.querySelectorAll(".cite-button").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = button.dataset.citation;
        var start = caret ? caret[0] : field.value.length;
        var end = caret ? caret[1] : field.value.length;
        field.value = field.value.slice(0, start) + text + field.value.slice(end);
        field.focus();
        field.setSelectionRange(start + text.length, start + text.length);
        caret = [start + text.length, start + text.length];
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  });
})();
