// Pairwise: small accessibility helpers for every page. A static file, since the content security
// policy allows no inline script.
//  - A form that comes back with errors puts focus on its first field in error (or the error summary).
//  - A table wider than the screen scrolls inside its own container, which keyboard users can focus.
//  - What htmx swaps in is announced through the page's live region, and focus is kept in place.
//  - A button or link with data-confirm asks first, in an accessible <dialog>.
(function () {
  "use strict";

  function focusFirstError(root) {
    var field = root.querySelector(".is-invalid, [aria-invalid='true']");
    var summary = root.querySelector("[data-error-summary], form .alert-danger");
    var target = field || summary;
    if (!target) return;
    if (!field && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  function labelScrollingTables(root) {
    // The report preview's own tables scroll by themselves on a phone (report-preview.css).
    root.querySelectorAll(".table-responsive, .table-scroll, .report-preview table").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1) {
        box.classList.remove("is-scrolling");
        return;
      }
      box.classList.add("is-scrolling");
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        var table = box.tagName === "TABLE" ? box : box.querySelector("table");
        var caption = table && table.caption ? table.caption.textContent.trim() : "";
        box.setAttribute("aria-label", (caption || "Table") + " (scrolls sideways)");
      }
    });
  }

  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region || !text) return;
    region.textContent = "";
    // A fresh text node after a tick, so the same message twice is read twice.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // The control whose action waits on the open confirmation dialog.
  var awaitingConfirmation = null;

  function confirmFirst(event) {
    var trigger = event.target.closest("[data-confirm]");
    if (!trigger || trigger.dataset.confirmed === "yes") return;
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;  // no <dialog>: the action goes ahead
    event.preventDefault();
    dialog.querySelector("[data-confirm-message]").textContent = trigger.dataset.confirm;
    var yes = dialog.querySelector("[data-confirm-yes]");
    yes.textContent = trigger.dataset.confirmYes || trigger.textContent.trim();
    awaitingConfirmation = trigger;
    dialog.returnValue = "";
    dialog.showModal();
    dialog.querySelector("[data-confirm-no]").focus();
  }

  function confirmationClosed(event) {
    var dialog = event.target;
    // A close event is queued, not immediate: one from an earlier opening can arrive after the dialog was
    // opened again (Escape, then Enter on the same button at once). Only the close of the open dialog counts.
    if (dialog.open || !awaitingConfirmation) return;
    var trigger = awaitingConfirmation;
    awaitingConfirmation = null;
    if (dialog.returnValue === "yes") {
      trigger.dataset.confirmed = "yes";
      trigger.click();
      delete trigger.dataset.confirmed;
    } else {
      trigger.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
    labelScrollingTables(document);
    window.addEventListener("resize", function () { labelScrollingTables(document); });
    document.addEventListener("click", confirmFirst);
    var confirmDialog = document.getElementById("confirm-dialog");
    if (confirmDialog) confirmDialog.addEventListener("close", confirmationClosed);

    document.body.addEventListener("htmx:afterSettle", function (event) {
      var swapped = event.detail.elt;
      if (!swapped || !swapped.isConnected) swapped = event.detail.target;
      if (!swapped || !swapped.isConnected) return;
      labelScrollingTables(swapped);
      var note = swapped.querySelector("[data-announce], [role='alert'], [role='status']");
      if (swapped.matches("[data-announce]")) note = swapped;
      announce(note ? (note.dataset.announce || note.textContent.trim()) : "Saved.");
      if (swapped.querySelector(".is-invalid")) {
        focusFirstError(swapped);
      } else if (!document.activeElement || document.activeElement === document.body) {
        var focusable = swapped.querySelector("[data-focus-after-swap], input:not([type='hidden']), button, summary");
        if (focusable) focusable.focus();
      }
    });
    document.body.addEventListener("htmx:responseError", function () {
      announce("That did not save. Reload the page and try again.");
    });
  });
})();
