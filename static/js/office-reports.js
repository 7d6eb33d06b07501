/* The queue report's print button: shown only where it works (with scripts). */
(function () {
  "use strict";

  const button = document.querySelector("[data-print]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
})();
