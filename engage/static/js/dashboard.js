/* Staff pages: follow a background job's progress without reloading by hand.
   Without JavaScript the pages offer a "Reload" link instead. */
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-job-url");
  var state = box.getAttribute("data-state");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-state");
  if (state !== "queued" && state !== "running") { return; }
  var delay = 1000;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (bar) { bar.value = job.percent; }
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
          return;
        }
        if (text && job.total) { text.setAttribute("data-percent", job.percent); }
        delay = Math.min(delay * 1.5, 10000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, delay);
})();

/* Review queue: keyboard shortcuts. The key shown next to a theme ticks it; Enter saves;
   X saves "no theme"; S skips. Keys typed into a field are left alone. */
(function () {
  "use strict";
  var form = document.querySelector("[data-review-form]");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"))) { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    // Enter on a link or a button does what it says (follow it, press it), not "save".
    if (key === "Enter" && target && target.closest && target.closest("a[href], button, summary")) { return; }
    var box = form.querySelector('input[type="checkbox"][data-key="' + key + '"]');
    if (box) {
      box.checked = !box.checked;
      box.focus();
      event.preventDefault();
      return;
    }
    var button = form.querySelector('button[data-key="' + key + '"]');
    if (button) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    }
  });
})();
