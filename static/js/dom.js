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

  window.mppDom = { fill, el };
})();
