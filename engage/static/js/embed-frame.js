// Inside the widget's iframe: tell the embedding page how tall the content is, whenever it changes.
// The height is not secret; embed.js accepts it only from Engage's origin and its own iframe.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function report() {
    // The content's own height (scrollHeight is never less than the frame, so it would never shrink).
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "engage:height", height: height }, "*");
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    report();
    if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
    window.addEventListener("load", report);
  });
})();
