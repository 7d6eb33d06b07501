/* The officer console. It acts through the JSON API, re-reads the counter's state
   whenever the live event stream reports a change, and sends one request at a time:
   while one is under way every button is disabled, so a double click acts once (and
   the server answers 409 to an action that no longer fits). Keyboard shortcuts work
   everywhere except in form fields and the transfer dialog. */
(function () {
  "use strict";

  const root = document.querySelector("[data-console]");
  if (!root) return;

  const text = JSON.parse(document.getElementById("console-text").textContent);
  let state = JSON.parse(document.getElementById("console-state").textContent);

  const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const timeFormat = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: "Asia/Jakarta",
  });
  const KEYS = { n: "call-next", r: "recall", s: "start", c: "complete", x: "no-show", h: "hold", t: "transfer", p: "pause" };
  const LIVE_LOST_AFTER_MS = 3500; // the stream ends every few minutes and is back in ~2 s
  const RETRY_MAX_MS = 60000;

  const $ = (selector) => root.querySelector(selector);
  const buttons = Array.from(root.querySelectorAll("[data-action]"));
  const errorBox = $("[data-error]");
  const statusBox = $("[data-status]");
  const dialog = $("[data-transfer]");
  const transferForm = $("[data-transfer-form]");
  const transferError = $("[data-transfer-error]");

  let busy = false;

  const { fill, el, jittered } = window.mppDom;

  function clock(iso) {
    return iso ? timeFormat.format(new Date(iso)) : "";
  }

  function minutesSince(iso) {
    return Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
  }

  // Messages ----------------------------------------------------------------------------

  function say(message) {
    errorBox.textContent = "";
    statusBox.textContent = message;
  }

  function complain(message, target) {
    statusBox.textContent = "";
    (target || errorBox).textContent = message;
  }

  function sessionEnded() {
    statusBox.textContent = "";
    const link = el("a", "", text.login);
    link.href = root.dataset.loginUrl;
    errorBox.replaceChildren(text.session_ended + " ", link);
  }

  function problem(data) {
    if (!data) return text.refused;
    if (data.detail) return data.detail;
    for (const [key, value] of Object.entries(data)) {
      if (key !== "code" && Array.isArray(value) && value.length) return String(value[0]);
    }
    return text.refused;
  }

  // Rendering ---------------------------------------------------------------------------

  function allowed(action) {
    if (busy) return false;
    if (action === "call-next") return state.can_call_next;
    if (action === "pause") return true;
    return Boolean(state.current && state.current.actions.includes(action));
  }

  function renderButtons() {
    for (const button of buttons) button.setAttribute("aria-disabled", String(!allowed(button.dataset.action)));
    root.querySelectorAll("[data-resume]").forEach((button) => button.setAttribute("aria-disabled", String(busy)));
    $("[data-pause-label]").textContent = state.counter.paused ? text.open_button : text.pause_button;
    const pause = $('[data-action="pause"]');
    pause.classList.toggle("console-button--primary", state.counter.paused);
    pause.classList.toggle("console-button--quiet", !state.counter.paused);
  }

  function renderCurrent() {
    const card = $("[data-current]");
    const ticket = state.current;
    card.dataset.status = ticket ? ticket.status : "none";
    if (!ticket) {
      card.replaceChildren(el("p", "ticket-card__empty", text.no_current));
      return;
    }
    const facts = el("dl", "ticket-card__facts");
    const fact = (term, value) => {
      if (!value) return;
      const row = el("div");
      row.append(el("dt", "", term), el("dd", "", value));
      facts.append(row);
    };
    fact(text.service, ticket.service_name);
    fact(text.name, booked(ticket));
    fact(text.priority, ticket.priority ? ticket.priority_label || "✓" : "");
    const recalls = ticket.recalls ? " · " + fill(text.recalls, { count: ticket.recalls }) : "";
    fact(text.called_at, clock(ticket.called_at) + recalls);
    card.replaceChildren(
      el("p", "ticket-card__number", ticket.number),
      el("p", "ticket-card__status", ticket.status_label),
      facts,
    );
  }

  // A booked citizen: the name, then the slot time and the booking code beside it.
  function booked(ticket) {
    if (!ticket.booking_code) return "";
    return ticket.name + " · " + fill(text.booking, { slot: ticket.slot, code: ticket.booking_code });
  }

  function queueItem(ticket) {
    const item = el("li", "queue-item" + (ticket.priority ? " queue-item--priority" : ""));
    const details = el("span", "queue-item__details");
    details.append(el("span", "queue-item__service", ticket.service_name));
    if (ticket.booking_code) details.append(el("span", "queue-item__booking", booked(ticket)));
    if (ticket.priority) {
      const label = ticket.priority_label ? text.priority + ": " + ticket.priority_label : text.priority;
      details.append(el("span", "queue-item__priority", label));
    }
    const since = fill(text.since, { time: clock(ticket.issued_at) });
    const waited = fill(text.minutes, { minutes: minutesSince(ticket.issued_at) });
    item.append(el("span", "queue-item__number", ticket.number), details, el("span", "queue-item__since", since + " · " + waited));
    return item;
  }

  function renderLists() {
    // Re-rendering replaces the "Lanjutkan" buttons: keep the keyboard focus on the same one.
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.resume : null;

    $("[data-waiting]").replaceChildren(...state.waiting.map(queueItem));
    $("[data-waiting-count]").textContent = String(state.waiting_count);
    $("[data-waiting-empty]").hidden = state.waiting_count > 0;
    const more = state.waiting_count - state.waiting.length;
    const moreNote = $("[data-waiting-more]");
    moreNote.hidden = more <= 0;
    moreNote.textContent = more > 0 ? fill(text.more_waiting, { count: more }) : "";

    const held = state.held.map((ticket) => {
      const item = queueItem(ticket);
      const button = el("button", "console-button console-button--small", text.resume_button);
      button.type = "button";
      button.dataset.resume = ticket.code;
      button.setAttribute("aria-label", fill(text.resume_label, { number: ticket.number }));
      item.append(button);
      return item;
    });
    $("[data-held]").replaceChildren(...held);
    $("[data-held-count]").textContent = String(state.held.length);
    $("[data-held-empty]").hidden = state.held.length > 0;

    if (focused) {
      const again = Array.from(root.querySelectorAll("[data-resume]")).find((b) => b.dataset.resume === focused);
      (again || $("#held-title")).focus();
    }
  }

  function renderCounterNote() {
    const note = $("[data-counter-note]");
    let message = "";
    if (!state.counter.is_open) message = text.closed;
    else if (state.counter.paused) message = fill(text.paused_since, { time: clock(state.counter.paused_since) });
    note.textContent = message;
    note.hidden = !message;
  }

  // The visit just completed, while it has no survey: a tablet can be handed over.
  function renderSurveyOffer() {
    const offer = $("[data-survey-offer]");
    offer.hidden = !state.survey;
    if (!state.survey) return;
    const link = $("[data-survey-link]");
    link.href = state.survey.url;
    link.textContent = fill(text.survey, { number: state.survey.number });
  }

  function render() {
    renderCurrent();
    renderSurveyOffer();
    renderLists();
    renderCounterNote();
    renderButtons();
  }

  // Requests ----------------------------------------------------------------------------

  // Every request waits for the one before it, so a read never overtakes an action and
  // the page never shows an older state after a newer one. While anything is under
  // way or planned, the console is marked aria-busy.
  let lane = Promise.resolve();
  let pending = 0;

  function track(delta) {
    pending += delta;
    if (pending > 0) root.setAttribute("aria-busy", "true");
    else root.removeAttribute("aria-busy");
  }

  function inLane(task) {
    track(1);
    const run = lane.then(task);
    lane = run.catch(() => undefined).then(() => track(-1));
    return run;
  }

  let readSequence = 0;

  // A failed read (a server hiccup, a dropped network) is tried again a few times.
  async function read(attempt = 0) {
    const sequence = ++readSequence;
    const again = () => {
      if (attempt < 4) setTimeout(() => sequence === readSequence && refresh(attempt + 1), 750 * (attempt + 1));
    };
    try {
      const response = await fetch(root.dataset.stateUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (response.status === 401) return sessionEnded();
      if (response.status >= 500 || response.status === 429) return again();
      if (!response.ok) return complain(problem(await response.json().catch(() => null)));
      state = await response.json();
      render();
    } catch (error) {
      again(); // offline: the live indicator says so
    }
  }

  function refresh(attempt = 0) {
    return inLane(() => read(attempt));
  }

  let refreshTimer = null;

  function refreshSoon() {
    if (refreshTimer) clearTimeout(refreshTimer);
    else track(1);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refresh();
      track(-1);
    }, 150);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    });
    let data = null;
    if (response.status !== 204) data = await response.json().catch(() => null);
    return { status: response.status, data };
  }

  function ticketUrl(code, action) {
    return root.dataset.actionUrl.replace("__code__", encodeURIComponent(code)).replace("__action__", action);
  }

  // Acting ------------------------------------------------------------------------------

  // One action at a time: the buttons stay disabled until the new state is shown, and
  // the outcome is told once the page shows it.
  async function perform(request, describe, errorTarget) {
    if (busy) return null;
    busy = true;
    renderButtons();
    const result = await inLane(async () => {
      let answer = null;
      try {
        answer = await request();
      } catch (error) {
        answer = { status: 0, data: null };
      }
      await read();
      return answer;
    });
    busy = false;
    renderButtons();
    if (result.status === 0) complain(text.network_error, errorTarget);
    else if (result.status === 401) sessionEnded();
    else if (result.status >= 500 && !(result.data && result.data.detail)) complain(text.server_error, errorTarget);
    else if (result.status >= 400) complain(problem(result.data), errorTarget);
    else say(describe(result));
    return result;
  }

  function run(action) {
    if (!allowed(action)) return;
    if (action === "transfer") return openTransfer();
    if (action === "call-next") {
      return perform(
        () => post(root.dataset.callNextUrl),
        (result) =>
          result.status === 204
            ? text.nobody_waiting
            : fill(text["call-next"], { number: result.data.number, counter: result.data.counter }),
      );
    }
    if (action === "pause") {
      return perform(
        () => post(root.dataset.pauseUrl, { paused: !state.counter.paused }),
        (result) => (result.data.paused ? text.paused : text.reopened),
      );
    }
    const code = state.current.code;
    return perform(
      () => post(ticketUrl(code, action)),
      (result) => fill(text[action], { number: result.data.number }),
    );
  }

  function resume(code) {
    if (busy) return;
    perform(
      () => post(ticketUrl(code, "resume")),
      (result) => fill(text.resume, { number: result.data.number }),
    );
  }

  // Transfer dialog ---------------------------------------------------------------------

  function showTarget() {
    const target = transferForm.elements.target.value;
    root.querySelectorAll("[data-target]").forEach((field) => {
      field.hidden = field.dataset.target !== target;
    });
  }

  // Every opening starts from nothing chosen (the empty first option), so a quick
  // T then Enter sends nobody anywhere.
  function openTransfer() {
    $("[data-transfer-number]").textContent = state.current.number;
    transferError.textContent = "";
    transferForm.reset();
    showTarget();
    dialog.showModal();
  }

  transferForm.addEventListener("change", showTarget);
  $("[data-transfer-cancel]").addEventListener("click", () => dialog.close());
  transferForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = transferForm.elements.target.value;
    const value = transferForm.elements[target].value;
    if (!value) return complain(text.choose_target, transferError);
    if (!state.current) return dialog.close();
    const code = state.current.code;
    const result = await perform(
      () => post(ticketUrl(code, "transfer"), { [target]: Number(value) }),
      (answer) => fill(text.transfer, { number: answer.data.number, service: answer.data.service_name }),
      transferError,
    );
    if (result && result.status === 200) dialog.close();
  });

  // Input -------------------------------------------------------------------------------

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    if (button.dataset.action) run(button.dataset.action);
    else if (button.dataset.resume) resume(button.dataset.resume);
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog.open || typeof event.key !== "string") return;
    const target = event.target;
    if (target instanceof Element && (target.closest("input, textarea, select") || target.isContentEditable)) return;
    const action = KEYS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    run(action);
  });

  // Live updates ------------------------------------------------------------------------

  const live = $(".live-state");
  let source = null;
  let connectedOnce = false;
  let lostTimer = null;
  let retryMs = 2000;

  function setLive(on) {
    live.dataset.live = on ? "on" : "off";
    $("[data-live-text]").textContent = on ? text.live_on : text.live_off;
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(root.dataset.eventsUrl);
    source.addEventListener("hello", () => {
      clearTimeout(lostTimer);
      lostTimer = null;
      retryMs = 2000;
      setLive(true);
      if (connectedOnce) refreshSoon(); // what changed while the stream was away
      connectedOnce = true;
    });
    source.addEventListener("ticket", refreshSoon);
    source.addEventListener("counter", refreshSoon);
    source.addEventListener("error", () => {
      if (!lostTimer) lostTimer = setTimeout(() => setLive(false), LIVE_LOST_AFTER_MS);
      if (source.readyState === EventSource.CLOSED) {
        // Refused (the server's streams are full) or an error page: retry, waiting longer each time.
        setTimeout(connect, jittered(retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    });
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refreshSoon();
  });

  render();
  connect();
  setInterval(() => {
    if (!busy) renderLists(); // the minutes waited
  }, 30000);
  setInterval(refreshSoon, 60000); // a safety net; the stream does the real work
})();
