// The citizen's ticket page: follows the ticket without reloading the page.
//
// Every 5 seconds it asks the API for the ticket with the last ETag (304: nothing
// changed) and updates the page; once the visit is done it offers the survey. When the ticket is called the phone vibrates and,
// if the citizen allowed it, shows a notification. Without this file the page
// reloads itself every 30 seconds.
//
// This file is also the service worker that shows the notification: Chrome on
// Android shows page notifications only through one. It controls no page (its scope
// is the folder of the static scripts) and keeps nothing.
(function () {
  "use strict";

  if (typeof document === "undefined") {
    // Running as the service worker: a tap on the notification brings the page back.
    self.addEventListener("notificationclick", function (event) {
      event.notification.close();
      var url = (event.notification.data && event.notification.data.url) || "/";
      event.waitUntil(
        self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
          for (var i = 0; i < windows.length; i += 1) {
            if (windows[i].url.indexOf(url) !== -1 && "focus" in windows[i]) return windows[i].focus();
          }
          return self.clients.openWindow ? self.clients.openWindow(url) : null;
        })
      );
    });
    return;
  }

  var INTERVAL = 5000;
  var TIMEOUT = 10000;
  var FINAL = ["done", "no_show", "expired"];

  var root = document.querySelector("[data-ticket]");
  var textsNode = document.getElementById("ticket-texts");
  if (!root || !textsNode || !window.fetch) return;
  var texts = JSON.parse(textsNode.textContent);

  var api = root.getAttribute("data-api");
  var number = root.getAttribute("data-number");
  var issuedFor = root.getAttribute("data-issued-for");
  var workerUrl = root.getAttribute("data-worker");
  var last = {
    status: root.getAttribute("data-status"),
    counter: root.getAttribute("data-counter"),
    called_at: root.getAttribute("data-called-at"),
  };
  var etag = null;
  var timer = null;
  var originalTitle = document.title;

  function field(name) {
    return root.querySelector('[data-field="' + name + '"]');
  }

  function setText(name, value) {
    var node = field(name);
    if (node && node.textContent !== value) node.textContent = value;
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key] === undefined || values[key] === null ? "" : String(values[key]);
    });
  }

  function hhmm(date) {
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return pad(date.getHours()) + "." + pad(date.getMinutes());
  }

  function stateOf(ticket) {
    if (ticket.status === "waiting" && String(ticket.service) !== issuedFor) return "transferred";
    return ticket.status;
  }

  // The connection notice

  var offline = root.querySelector("[data-offline]");
  function connection(ok) {
    if (offline) offline.hidden = ok;
  }

  // The page, from the API's answer

  function render(ticket) {
    var state = stateOf(ticket);
    var values = { counter: ticket.counter, service: ticket.service_name, number: number };
    var box = root.querySelector("[data-state]");
    if (box.getAttribute("data-state") !== state) {
      box.className = box.className.replace(/queue-state--[\w-]+/, "queue-state--" + state);
      box.setAttribute("data-state", state);
    }
    setText("status_label", texts.labels[ticket.status] || ticket.status);
    setText("headline", fill(texts.headlines[state] || "", values));
    setText("service_name", ticket.service_name);
    setText("agency_name", ticket.agency_name);
    setText("ahead", String(ticket.people_ahead));
    setText("wait", ticket.people_ahead ? fill(texts.minutes, { minutes: ticket.estimated_wait_minutes }) : texts.next);
    root.querySelector("[data-when-waiting]").hidden = ticket.status !== "waiting";
    var survey = root.querySelector("[data-survey]");
    if (survey) survey.hidden = ticket.status !== "done";
    document.title =
      ticket.status === "called" ? fill(texts.called_title, values) + " · " + originalTitle : originalTitle;

    var calledAgain = ticket.status === "called" && (last.status !== "called" || ticket.called_at !== last.called_at);
    last = { status: ticket.status, counter: String(ticket.counter || ""), called_at: ticket.called_at };
    if (calledAgain) announce(values);
    showNotifyState();
  }

  function stamp() {
    setText("updated", fill(texts.updated, { time: hhmm(new Date()) }));
  }

  // Polling

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }

  function poll() {
    window.clearTimeout(timer);
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    var controller = window.AbortController ? new AbortController() : null;
    var abort = controller
      ? window.setTimeout(function () {
          controller.abort();
        }, TIMEOUT)
      : null;
    fetch(api, {
      headers: headers,
      cache: "no-store",
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        window.clearTimeout(abort);
        if (response.status === 304) {
          connection(true);
          stamp();
          schedule(INTERVAL);
          return null;
        }
        if (response.status === 429) {
          // Many phones behind the mall's one address: slow down, it is no outage.
          var wait = parseInt(response.headers.get("Retry-After"), 10);
          schedule(Math.max(isNaN(wait) ? 30 : wait, 5) * 1000);
          return null;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (ticket) {
          etag = response.headers.get("ETag");
          connection(true);
          render(ticket);
          stamp();
          if (FINAL.indexOf(ticket.status) === -1) schedule(INTERVAL);
        });
      })
      .catch(function () {
        window.clearTimeout(abort);
        connection(false);
        schedule(INTERVAL);
      });
  }

  if (FINAL.indexOf(last.status) === -1) {
    schedule(INTERVAL);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") poll();
    });
    window.addEventListener("online", poll);
    window.addEventListener("offline", function () {
      connection(false);
    });
  }

  // Being called: vibration, and a notification when allowed

  function announce(values) {
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 800]);
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    var title = fill(texts.notify_title, values);
    var options = {
      body: fill(texts.notify_body, values),
      tag: "mpp-ticket-" + number,
      renotify: true,
      requireInteraction: true,
      data: { url: window.location.pathname },
    };
    worker()
      .then(function (registration) {
        return registration.showNotification(title, options);
      })
      .catch(function () {
        try {
          new Notification(title, options);
        } catch (e) {
          // Neither way is available here; the vibration and the page remain.
        }
      });
  }

  // The worker has to be active before it can show anything.
  function worker() {
    if (!("serviceWorker" in navigator) || !workerUrl) return Promise.reject(new Error("no service worker"));
    return navigator.serviceWorker.register(workerUrl).then(function (registration) {
      if (registration.active) return registration;
      var pending = registration.installing || registration.waiting;
      return new Promise(function (resolve, reject) {
        if (!pending) return reject(new Error("no worker"));
        pending.addEventListener("statechange", function () {
          if (pending.state === "activated") resolve(registration);
          if (pending.state === "redundant") reject(new Error("worker failed"));
        });
      });
    });
  }

  var notify = root.querySelector("[data-notify]");
  var notifyOn = root.querySelector("[data-notify-on]");
  function hideNotify() {
    if (notify) notify.hidden = true;
    if (notifyOn) notifyOn.hidden = true;
  }
  // Offered while the ticket waits; once it is called there is nothing left to wait for.
  function showNotifyState() {
    if (!notify || !("Notification" in window) || !window.isSecureContext) return;
    if (last.status !== "waiting" && last.status !== "on_hold") return hideNotify();
    notify.hidden = Notification.permission !== "default";
    notifyOn.hidden = Notification.permission !== "granted";
  }
  if (notify) {
    notify.querySelector("button").addEventListener("click", function () {
      var asked = Notification.requestPermission(function () {
        showNotifyState();
      });
      if (asked && asked.then) {
        asked.then(function (permission) {
          showNotifyState();
          if (permission === "granted") worker().catch(function () {});
        });
      }
    });
    showNotifyState();
    if ("Notification" in window && Notification.permission === "granted") worker().catch(function () {});
  }
})();
