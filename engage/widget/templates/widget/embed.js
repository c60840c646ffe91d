/* Engage widget. Add to a page:
 * <script src="{{ url_for('widget.embed_js', _external=True) }}" data-survey="SLUG" data-municipality="gentofte"
 *         data-lang="da" data-mode="chat" async></script>
 * Optional: data-accent="#1a5a8e" (a colour dark enough for white text), data-compact="true",
 * data-title="…". It inserts one iframe from Engage and keeps it as tall as its content; nothing
 * else is loaded into the page. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var origin = new URL(script.src).origin;
  var d = script.dataset;
  if (!d.survey) { return; }
  var lang = d.lang === "en" ? "en" : "da";
  var params = new URLSearchParams();
  if (d.municipality) { params.set("m", d.municipality); }
  if (d.accent) { params.set("accent", d.accent.replace("#", "")); }
  if (d.compact === "true" || d.compact === "1") { params.set("compact", "1"); }
  var path = "/embed/" + lang + "/s/" + encodeURIComponent(d.survey) + (d.mode === "chat" ? "/chat" : "");
  var frame = document.createElement("iframe");
  frame.src = origin + path + "?" + params.toString();
  frame.title = d.title || (lang === "en" ? "Survey from Smart Greater Copenhagen" : "Spørgeskema fra Smart Greater Copenhagen");
  frame.style.width = "100%";
  frame.style.maxWidth = "100%";
  frame.style.border = "0";
  frame.style.height = "640px";
  frame.setAttribute("data-engage-widget", d.survey);
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    // Only our iframe, from our origin, may resize it.
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    var height = parseInt(data.height, 10);
    if (data.type === "engage:height" && height > 0 && height < 20000) { frame.style.height = height + "px"; }
  });
})();
