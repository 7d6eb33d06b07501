/* The floor now (/kantor/lantai/): the page shows the figures as they were when it was
   opened; this script reads them again from the API whenever a live event of the floor
   arrives (a ticket issued, called, served; a counter's break) and every 30 seconds, so
   the waits keep counting. The stream reconnects by itself, waiting longer after each
   refusal; while it is away the line at the top says so and the 30-second reads go on. */
(function () {
  "use strict";

  const root = document.querySelector("[data-floor]");
  if (!root) return;

  const config = JSON.parse(document.getElementById("floor-config").textContent);
  const text = config.text;
  const { fill, el, jittered } = window.mppDom;
  const $ = (selector) => root.querySelector(selector);

  const READ_GAP_MS = 1000; // a burst of calls is read once
  const POLL_MS = 30000;
  const LOST_AFTER_MS = 3500; // the stream ends every few minutes and is back in ~2 s
  const RETRY_MAX_MS = 60000;
  const FIELDS = ["waiting", "longest", "open", "on_break", "serving", "served", "no_shows"];

  function minutes(value) {
    return value === null ? text.none : fill(text.minutes, { minutes: value });
  }

  function values(row) {
    return {
      waiting: String(row.waiting),
      longest: minutes(row.longest_wait_minutes),
      open: String(row.counters.open),
      on_break: String(row.counters.on_break),
      serving: String(row.counters.serving),
      served: String(row.served_today),
      no_shows: String(row.no_shows_today),
    };
  }

  function renderTotal(state) {
    const shown = values(state.total);
    for (const field of FIELDS) {
      const cell = $(`[data-total] [data-field="${field}"]`);
      if (cell) cell.textContent = shown[field];
    }
    const busiest = $('[data-total] [data-field="busiest"]');
    if (busiest) busiest.textContent = state.busiest ? fill(text.busiest, state.busiest) : text.nobody;
  }

  function renderRows(state) {
    const busiest = state.busiest ? state.busiest.agency : null;
    const rows = state.agencies.map((agency) => {
      const row = el("tr", agency.agency === busiest ? "floor__row--busiest" : "");
      row.dataset.agency = String(agency.agency);
      const name = el("th", "", agency.name);
      name.scope = "row";
      row.append(name);
      const shown = values(agency);
      for (const field of FIELDS) {
        const cell = el("td", "num", shown[field]);
        cell.dataset.field = field;
        row.append(cell);
      }
      return row;
    });
    $("[data-rows]").replaceChildren(...rows);
  }

  const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang === "en" ? "en-GB" : "id-ID", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone: "Asia/Jakarta",
  });

  function render(state) {
    renderTotal(state);
    renderRows(state);
    $("[data-updated]").textContent = fill(text.updated, { time: timeFormat.format(new Date()).replace(/:/g, ".") });
  }

  // Reading the state ------------------------------------------------------------------

  let sequence = 0;
  let stopped = false;

  async function refresh() {
    if (stopped) return;
    const mine = ++sequence;
    root.setAttribute("aria-busy", "true");
    try {
      // The browser revalidates with the ETag: an unchanged floor costs a 304.
      const response = await fetch(root.dataset.stateUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.status === 401 || response.status === 403) {
        stopped = true; // signed out elsewhere: the next reload goes to the login
        return;
      }
      if (!response.ok) return;
      const state = await response.json();
      if (mine === sequence) render(state);
    } catch (error) {
      // A dropped network: the next event or poll reads again.
    } finally {
      if (mine === sequence) root.removeAttribute("aria-busy");
    }
  }

  let planned = null;
  let lastRead = 0;

  function refreshSoon() {
    if (planned) return; // the planned read will see this change too
    const wait = Math.max(100, lastRead + READ_GAP_MS - Date.now());
    planned = setTimeout(() => {
      planned = null;
      lastRead = Date.now();
      refresh();
    }, wait);
  }

  // The live stream -----------------------------------------------------------------------

  const live = $(".live-state");
  let source = null;
  let connectedOnce = false;
  let lostTimer = null;
  let retryTimer = null;
  let retryMs = 2000;

  function setLive(on) {
    live.dataset.live = on ? "on" : "off";
    $("[data-live-text]").textContent = on ? text.live_on : text.live_off;
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = new EventSource(root.dataset.eventsUrl);
    source.addEventListener("hello", () => {
      clearTimeout(lostTimer);
      lostTimer = null;
      retryMs = 2000;
      setLive(true);
      root.dataset.live = "on";
      if (connectedOnce) refreshSoon(); // what changed while the stream was away
      connectedOnce = true;
    });
    source.addEventListener("ticket", refreshSoon);
    source.addEventListener("counter", refreshSoon);
    source.addEventListener("error", () => {
      if (!lostTimer) {
        lostTimer = setTimeout(() => {
          setLive(false);
          root.dataset.live = "lost";
        }, LOST_AFTER_MS);
      }
      if (source.readyState === EventSource.CLOSED) {
        // Refused (the server's streams are full) or an error page: retry, waiting longer each time.
        retryTimer = setTimeout(connect, jittered(retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    });
  }

  window.addEventListener("offline", () => {
    if (source) source.close();
    setLive(false);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, 15000); // in case "online" never comes
  });
  window.addEventListener("online", connect);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refreshSoon();
  });

  connect();
  setInterval(refreshSoon, POLL_MS);
})();
