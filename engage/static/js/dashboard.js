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

/* Survey builder, question form: show the settings of the chosen kind only, and the values of
   the earlier question the condition tests. Without JavaScript every part is shown. */
(function () {
  "use strict";
  var form = document.querySelector("[data-question-form]");
  if (!form) { return; }
  var kind = form.querySelector("#kind");
  var source = form.querySelector("#cond_question");
  function update() {
    Array.prototype.forEach.call(form.querySelectorAll(".engage-kind-settings"), function (box) {
      box.hidden = box.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
    });
    Array.prototype.forEach.call(form.querySelectorAll(".engage-condition-values"), function (box) {
      box.hidden = !source || box.getAttribute("data-source") !== source.value;
    });
  }
  kind.addEventListener("change", update);
  if (source) { source.addEventListener("change", update); }
  update();
})();

/* Survey builder, question list: drag a question within its page to reorder; the order is saved
   at once and announced. The "Move up" / "Move down" buttons do the same from the keyboard. */
(function () {
  "use strict";
  var lists = document.querySelectorAll(".engage-question-list");
  var status = document.getElementById("reorder-status");
  if (!lists.length || !window.fetch) { return; }
  var dragged = null;
  function keys() {
    return Array.prototype.map.call(document.querySelectorAll(".engage-question-item"), function (item) {
      return item.getAttribute("data-key");
    });
  }
  function renumber() {
    var items = document.querySelectorAll(".engage-question-item");
    Array.prototype.forEach.call(items, function (item, i) {
      var number = item.querySelector(".engage-question-number");
      if (number) { number.textContent = (i + 1) + "."; }
      // The buttons' hidden "question N", and which ends cannot move further, follow the new order.
      Array.prototype.forEach.call(item.querySelectorAll(".engage-question-actions .sr-only"), function (span) {
        span.textContent = span.textContent.replace(/\d+/, String(i + 1));
      });
      var up = item.querySelector('button[value="up"]'), down = item.querySelector('button[value="down"]');
      if (up) { up.disabled = i === 0; }
      if (down) { down.disabled = i === items.length - 1; }
    });
  }
  Array.prototype.forEach.call(lists, function (list) {
    Array.prototype.forEach.call(list.children, function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("engage-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-key"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("engage-dragging");
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged.parentNode !== list || dragged === item) { return; }
        event.preventDefault();
        item.classList.add("engage-drop-target");
      });
      item.addEventListener("dragleave", function () { item.classList.remove("engage-drop-target"); });
      item.addEventListener("drop", function (event) {
        item.classList.remove("engage-drop-target");
        if (!dragged || dragged.parentNode !== list || dragged === item) { return; }
        event.preventDefault();
        var before = keys();
        list.insertBefore(dragged, item);
        var body = new URLSearchParams();
        body.set("order", keys().join(","));
        body.set("csrf_token", list.getAttribute("data-csrf"));
        fetch(list.getAttribute("data-reorder-url"), {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "Accept": "application/json", "X-CSRFToken": list.getAttribute("data-csrf") }
        }).then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        }).then(function (result) {
          if (result.ok) {
            renumber();
            if (status) { status.textContent = result.data.message; }
          } else {  // refused (e.g. a condition would test a later question): put it back, say why
            before.forEach(function (key) {
              var moved = document.querySelector('.engage-question-item[data-key="' + key + '"]');
              if (moved && moved.parentNode === list) { list.appendChild(moved); }
            });
            if (status) { status.textContent = result.data.error; }
          }
        }).catch(function () { window.location.reload(); });
      });
    });
  });
})();
