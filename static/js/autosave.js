// Autosave for forms marked data-autosave: a pause in typing posts the form (with X-Autosave) and the reply
// says whether it saved. The text stays in the page whatever happens; when someone else saved in the meantime,
// their text is shown beside the writer's and autosave stops: only the writer's own Save, once they have merged
// what they need, replaces it.
(function () {
  "use strict";
  var DELAY_MS = 2000;
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector("#autosave-status");
    var conflictBox = form.querySelector("#autosave-conflict");
    var timer = null;
    var inFlight = false;
    var pending = false;
    var stopped = form.querySelector("#autosave-conflict:not([hidden])") !== null;

    function say(message) {
      if (status) status.textContent = message;
    }

    function save() {
      if (inFlight) {
        pending = true;
        return;
      }
      inFlight = true;
      say("Saving…");
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (reply) {
          if (typeof reply.version === "number") {
            form.querySelector("input[name=version]").value = reply.version;
          }
          if (reply.saved) {
            say(reply.message);
          } else if (reply.conflict) {
            stopped = true;
            say("Not saved: someone else saved first. Their text is below; autosave is off until you press Save.");
            conflictBox.hidden = false;
            conflictBox.querySelector("#conflict-message").textContent = reply.conflict.message;
            conflictBox.querySelector("#conflict-text").textContent = reply.conflict.text;
          } else {
            say("Not saved: " + (reply.errors || []).join(" "));
          }
        })
        .catch(function () {
          say("Not saved: the connection failed. Your text is still here; try Save.");
        })
        .finally(function () {
          inFlight = false;
          if (pending) {
            pending = false;
            save();
          }
        });
    }

    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (stopped) return;
      timer = window.setTimeout(save, DELAY_MS);
    });
  });
})();
