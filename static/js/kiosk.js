// Kiosk: comforts on top of pages that work without this file.
(function () {
  "use strict";
  var body = document.body;

  // A refusal or an error is focused on load, so a screen reader reads it first.
  var problem = document.querySelector("[data-focus-on-load]");
  if (problem) problem.focus();

  // A second tap while the first is on its way must not send the form again. The
  // buttons are disabled only after the browser has read the form, or the tapped
  // button's value (the priority group) would be left out.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"), function (form) {
    var buttons = form.querySelectorAll("button[type=submit]");
    var sending = form.querySelector("[data-sending]");
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-sent")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sent", "");
      var tapped = event.submitter;
      if (tapped) tapped.classList.add("is-sending");
      if (sending) sending.hidden = false;
      window.setTimeout(function () {
        Array.prototype.forEach.call(buttons, function (button) {
          button.disabled = true;
        });
      }, 0);
    });
    // Back to this page from the browser's history: the form can be used again.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      form.removeAttribute("data-sent");
      if (sending) sending.hidden = true;
      Array.prototype.forEach.call(buttons, function (button) {
        button.disabled = false;
        button.classList.remove("is-sending");
      });
    });
  });

  // A scanner types the code like a keyboard: keep the code field ready for it.
  var scan = document.querySelector("[data-scan]");
  if (scan) {
    scan.focus();
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target === scan || event.ctrlKey || event.altKey || event.metaKey) return;
      if (target && (target.tagName === "INPUT" || target.tagName === "BUTTON")) return;
      if (event.key && event.key.length === 1) scan.focus();
    });
  }

  // An unattended kiosk goes back to its start; every touch restarts the wait, so
  // nobody is hurried off a screen they are still reading. The ticket screen shows
  // the seconds left. (Without this script a refresh in <noscript> does the same.)
  var idleUrl = body.getAttribute("data-idle-url");
  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds"), 10);
  var countdown = document.querySelector("[data-countdown]");
  var touchToWait = document.querySelector("[data-touch-to-wait]");
  if (touchToWait) touchToWait.hidden = false;
  if (idleUrl && idleSeconds > 0) {
    var left = idleSeconds;
    var restart = function () {
      left = idleSeconds;
      if (countdown) countdown.textContent = String(left);
    };
    window.setInterval(function () {
      left -= 1;
      if (countdown) countdown.textContent = String(Math.max(left, 0));
      if (left === 0) window.location.assign(idleUrl);
    }, 1000);
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, restart, { passive: true, capture: true });
    });
  }

  // The ticket screen: print on demand, and once by itself on a kiosk set up to.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (item) {
    item.hidden = false;
    item.querySelector("button").addEventListener("click", function () {
      window.print();
    });
  });

  var code = body.getAttribute("data-ticket-code");
  if (code && body.hasAttribute("data-autoprint")) {
    var key = "kiosk-printed:" + code;
    var printed = false;
    try {
      printed = window.sessionStorage.getItem(key) === "1";
      window.sessionStorage.setItem(key, "1");
    } catch (e) {
      printed = false; // no storage: a reload prints again, which is the lesser harm
    }
    if (!printed) {
      window.addEventListener("load", function () {
        window.print();
      });
    }
  }
})();
