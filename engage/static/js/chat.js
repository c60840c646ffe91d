// Chat mode, progressively enhanced. Without this file every turn is a normal form post that
// renders the conversation so far. With it: turns are sent with fetch and only the conversation is
// replaced (no page reload), new bot messages are announced in a live region, focus moves to the
// current question, the conversation and any half-typed text survive a reload (sessionStorage),
// and a dropped connection keeps what was typed.
(function () {
  "use strict";

  var KEY_PREFIX = "engage.chat.";

  // sessionStorage, or window.name where storage is blocked (a cross-site iframe with third-party
  // cookies and storage blocked): both survive a reload of the same tab or frame.
  var store = {
    get: function (key) {
      try { return sessionStorage.getItem(key); } catch (e) {
        try { return (JSON.parse(window.name || "{}") || {})[key] || null; } catch (e2) { return null; }
      }
    },
    set: function (key, value) {
      try { sessionStorage.setItem(key, value); } catch (e) {
        var all = {};
        try { all = JSON.parse(window.name || "{}") || {}; } catch (e2) { all = {}; }
        all[key] = value;
        window.name = JSON.stringify(all);
      }
    },
    remove: function (key) {
      try { sessionStorage.removeItem(key); } catch (e) {
        try { var all = JSON.parse(window.name || "{}") || {}; delete all[key]; window.name = JSON.stringify(all); } catch (e2) { /* ignore */ }
      }
    }
  };

  function storageKey(form) { return KEY_PREFIX + form.getAttribute("data-survey") + "." + location.pathname; }

  function save(form) {
    try {
      var draft = {};
      form.querySelectorAll("textarea, input[type=text]").forEach(function (el) {
        if (el.name && el.name !== "website") { draft[el.name] = el.value; }
      });
      store.set(storageKey(form), JSON.stringify({ state: form.elements.state.value, draft: draft }));
    } catch (e) { /* nothing kept, nothing breaks */ }
  }

  function saved(form) {
    try { return JSON.parse(store.get(storageKey(form)) || "null"); } catch (e) { return null; }
  }

  function announce(root) {
    var region = document.getElementById("chat-announce");
    if (!region) { return; }
    var parts = [];
    root.querySelectorAll("[data-new]").forEach(function (el) {
      var prompt = el.querySelector("legend, label.form-label, h2");
      parts.push((prompt || el).textContent.replace(/\s+/g, " ").trim());
    });
    region.textContent = "";
    window.setTimeout(function () { region.textContent = parts.join(" "); }, 50);
  }

  function focusCurrent() {
    var target = document.querySelector("#chat-now textarea, #chat-now input[type=text], #chat-now .form-error-message")
      || document.getElementById("chat-now");
    if (target) { target.focus({ preventScroll: false }); }
  }

  function swap(html, form) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("chat");
    if (!fresh) { document.open(); document.write(html); document.close(); return; }
    document.getElementById("chat").replaceWith(fresh);
    ["progress"].forEach(function (id) {
      var old = document.getElementById(id), neu = doc.getElementById(id);
      if (old && neu) { old.replaceWith(neu); }
    });
    var bar = document.querySelector(".engage-progress-bar"), newBar = doc.querySelector(".engage-progress-bar");
    if (bar && newBar) { bar.replaceWith(newBar); }
    document.title = doc.title;
    wire();
    announce(document.getElementById("chat"));
    focusCurrent();
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var offline = document.getElementById("chat-offline");
    var busy = form.querySelectorAll("button");
    busy.forEach(function (b) { b.disabled = true; });
    save(form);
    // form.getAttribute: the form has buttons named "action", which shadow form.action.
    fetch(form.getAttribute("action") || location.href, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
                         headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) {
        if (response.redirected) {  // the receipt: the conversation is over
          store.remove(storageKey(form));
          window.location.assign(response.url);
          return null;
        }
        return response.text().then(function (html) {
          if (response.status === 429) {  // too many turns: the page that keeps the text and resends it
            document.open(); document.write(html); document.close();
            return;
          }
          if (response.status >= 500) { throw new Error("status " + response.status); }
          swap(html, form);
          var fresh = document.getElementById("chat-form");
          if (fresh) { save(fresh); } else { store.remove(storageKey(form)); }  // the end (e.g. a preview's)
        });
      })
      .catch(function () {
        busy.forEach(function (b) { b.disabled = false; });
        if (offline) { offline.hidden = false; offline.focus && offline.focus(); }
      });
  }

  function wire() {
    var form = document.getElementById("chat-form");
    if (!form || form.getAttribute("data-wired")) { return; }
    form.setAttribute("data-wired", "1");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form, event.submitter);
    });
    form.addEventListener("input", function () { save(form); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("chat-form");
    if (!form) { return; }
    wire();
    var kept = saved(form);
    var fresh = !document.querySelector(".engage-me");
    if (kept && fresh && kept.state && kept.state !== form.elements.state.value) {
      // A reload of a conversation in progress: ask the server to show it where it was.
      form.elements.state.value = kept.state;
      var resume = document.createElement("button");
      resume.name = "action"; resume.value = "resume";
      var restoreDraft = kept.draft || {};
      send(form, resume);
      var tries = 0;
      var timer = window.setInterval(function () {  // refill half-typed text once the page is back
        var current = document.getElementById("chat-form");
        tries += 1;
        if ((current && current !== form) || tries > 50) {
          window.clearInterval(timer);
          if (current) {
            Object.keys(restoreDraft).forEach(function (name) {
              var el = current.querySelector('[name="' + name + '"]');
              if (el && !el.value) { el.value = restoreDraft[name]; }
            });
          }
        }
      }, 100);
    } else if (document.querySelector(".engage-me") || document.querySelector(".form-error-message")) {
      focusCurrent();
    }
  });
})();
