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
