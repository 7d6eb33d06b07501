// Booking pages: small comforts on top of pages that work without this file.
(function () {
  "use strict";

  // An error summary or a refusal is focused on load, so a screen reader reads it first.
  var problem = document.querySelector("[data-focus-on-load]");
  if (problem) problem.focus();

  // A second tap on a slow connection would send the form twice (and the second
  // answer would say the booking already exists): send it once.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sent", "1");
      var button = form.querySelector("button[type=submit]");
      if (button) button.setAttribute("aria-disabled", "true");
      // No answer after a while (a dropped connection): allow another try.
      window.setTimeout(function () {
        form.removeAttribute("data-sent");
        if (button) button.removeAttribute("aria-disabled");
      }, 15000);
    });
  });

  // Printing needs the browser's menu without a script; with one, a button.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (item) {
    item.hidden = false;
    item.querySelector("button").addEventListener("click", function () {
      window.print();
    });
  });
})();
