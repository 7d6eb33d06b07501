/* Small helpers the display board and the officer console share. */
(function () {
  "use strict";

  // "{number} ke loket {counter}" with the values filled in; unknown names stay as written.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  }

  // A new element with an optional class and text (never HTML).
  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // How long to wait before the next try after a live stream failed or was refused:
  // between half and all of ms, so screens refused together do not come back together.
  function jittered(ms) {
    return Math.round(ms / 2 + (Math.random() * ms) / 2);
  }

  window.mppDom = { fill, el, jittered };
})();
