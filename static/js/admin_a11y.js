// Pairwise's admin: names for the controls Django's admin and its bundled Select2 leave unnamed, so screen
// readers (and axe) know what each one is. A static file: the content security policy allows no inline script.
(function () {
  "use strict";

  function labelText(control) {
    if (!control.id) return "";
    var label = document.querySelector("label[for='" + control.id + "']");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  // A field in a tabular inline row is named by its column heading.
  function columnHeading(control) {
    var cell = control.closest("td");
    var table = control.closest("table");
    if (!cell || !table) return "";
    var headings = table.querySelectorAll("thead th");
    var index = Array.prototype.indexOf.call(cell.parentElement.children, cell);
    var heading = headings[index];
    if (!heading) return "";
    return heading.textContent.trim() || (control.name && /-DELETE$/.test(control.name) ? "Delete" : "");
  }

  // A field whose <label> points elsewhere (a file input with "Currently" and "Change") is named by its row.
  function rowLabel(control) {
    var row = control.closest(".form-row, .fieldBox");
    var label = row ? row.querySelector("label, legend") : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameControls(root) {
    root.querySelectorAll("input:not([type='hidden']), select, textarea").forEach(function (control) {
      if (control.labels && control.labels.length) return;
      if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) return;
      var select2 = control.closest(".select2-container");
      var source = select2 ? select2.previousElementSibling : null;
      var name = (source && (labelText(source) || columnHeading(source))) || columnHeading(control) || rowLabel(control);
      if (!name && /-DELETE$/.test(control.name || "")) name = "Delete this row";
      if (name) control.setAttribute("aria-label", select2 ? "Search " + name.toLowerCase() : name);
    });
    // A Select2 box is named by its field's label; so is the read-only text that shows the chosen value.
    root.querySelectorAll(".select2-selection[role='combobox'], .select2-selection__rendered[role='textbox']").forEach(function (box) {
      var source = box.closest(".select2-container").previousElementSibling;
      var name = source ? (labelText(source) || columnHeading(source)) : "";
      if (name && !box.getAttribute("aria-label")) {
        box.setAttribute("aria-label", box.getAttribute("role") === "textbox" ? name + ": chosen" : name);
        box.removeAttribute("aria-labelledby");
      }
    });
    // Select2 draws its chosen items as a list that also holds a "clear" button: not a list to read out.
    root.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
      list.setAttribute("role", "presentation");
      list.querySelectorAll(":scope > li").forEach(function (item) { item.setAttribute("role", "presentation"); });
    });
    // Django's filter boxes put a title on a decorative icon inside a label.
    root.querySelectorAll(".help-tooltip[aria-label], .search-label-icon[aria-label]").forEach(function (icon) {
      icon.removeAttribute("aria-label");
      icon.setAttribute("aria-hidden", "true");
    });
    // Wide tables scroll in their own box, which a keyboard can reach.
    root.querySelectorAll("#change-history, .inline-group table").forEach(function (table) {
      if (table.parentElement.classList.contains("pw-scroll")) return;
      var box = document.createElement("div");
      box.className = "pw-scroll";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", table.id === "change-history" ? "History" : "Rows");
      table.parentElement.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; nameControls(document); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameControls(document);
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
  // Select2 is set up on jQuery's ready, which may come after ours.
  window.addEventListener("load", function () { nameControls(document); });
})();
