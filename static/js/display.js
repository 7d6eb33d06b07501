/* The display board: reads the board's state from the API, then follows the live
   event stream. A call is shown at once, chimed and spoken (one announcement after
   another), and the state is read again. The stream reconnects by itself; while it is
   cut off a banner says so, and on its return the state is read again so calls made
   meanwhile appear. */
(function () {
  "use strict";

  const body = document.querySelector("[data-board]");
  if (!body) return;

  const config = JSON.parse(document.getElementById("board-config").textContent);
  const text = config.text;
  const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const ZONE = "Asia/Jakarta";
  const CALLS_SHOWN = 6;
  const LOST_AFTER_MS = 3500; // the stream ends every few minutes and is back in ~2 s
  const BACK_SHOWN_MS = 6000;
  const RETRY_MAX_MS = 60000;
  const SOUND_KEY = "mpp-board-sound";

  const $ = (selector) => document.querySelector(selector);
  const banner = $("[data-banner]");
  const gate = $("[data-sound-gate]");
  const chip = $("[data-sound-chip]");

  const { fill, el, jittered } = window.mppDom;

  // Clock -------------------------------------------------------------------------------

  const timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: ZONE });
  const dateFormat = new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: ZONE,
  });

  function tick() {
    const now = new Date();
    $("[data-clock-time]").textContent = timeFormat.format(now);
    $("[data-clock-date]").textContent = dateFormat.format(now);
  }

  // Rendering ---------------------------------------------------------------------------

  let state = { calls: [], waiting: [], running_text: [] };
  const agencyNames = {};

  function showCall(call, fresh) {
    $("[data-now]").classList.toggle("now--empty", !call);
    $("[data-now-number]").textContent = call ? call.number : "—";
    $("[data-now-counter]").textContent = call ? fill(text.counter, { counter: call.counter }) : text.no_call;
    $("[data-now-agency]").textContent = call && !config.agency ? agencyNames[call.agency] || "" : "";
    if (fresh) {
      const now = $("[data-now]");
      now.classList.remove("now--fresh");
      void now.offsetWidth; // restart the highlight
      now.classList.add("now--fresh");
    }
  }

  function renderCalls() {
    const rows = state.calls.slice(0, CALLS_SHOWN).map((call, index) => {
      const row = el("tr", index === 0 ? "calls__latest" : "");
      row.append(
        el("td", "calls__number", call.number),
        el("td", "calls__counter", fill(text.counter, { counter: call.counter })),
        el("td", "calls__time", timeFormat.format(new Date(call.at))),
      );
      return row;
    });
    $("[data-calls]").replaceChildren(...rows);
  }

  function renderWaiting() {
    const list = $("[data-waiting]");
    list.classList.toggle("waiting__list--single", state.waiting.length === 1);
    list.replaceChildren(
      ...state.waiting.map((row) => {
        const item = el("li", "waiting__item" + (row.waiting ? "" : " waiting__item--none"));
        item.append(
          el("span", "waiting__prefix", config.prefixes[row.agency] || ""),
          el("span", "waiting__name", row.agency_name),
          el("span", "waiting__count", String(row.waiting)),
          el("span", "waiting__unit", text.waiting),
        );
        return item;
      }),
    );
  }

  let tickerText = null;

  function renderTicker() {
    const joined = (state.running_text.length ? state.running_text : [text.welcome]).join("     •     ");
    if (joined === tickerText) return; // keep the animation running
    tickerText = joined;
    const track = $("[data-ticker]");
    track.textContent = joined;
    track.style.setProperty("--ticker-seconds", Math.max(20, Math.round(joined.length * 0.28)) + "s");
  }

  function render() {
    for (const row of state.waiting) agencyNames[row.agency] = row.agency_name;
    showCall(state.calls[0] || null, false);
    renderCalls();
    renderWaiting();
    renderTicker();
  }

  // While a read is under way or planned, the board's main area is marked aria-busy.
  const main = $("main");
  let pending = 0;

  function track(delta) {
    pending += delta;
    if (pending > 0) main.setAttribute("aria-busy", "true");
    else main.removeAttribute("aria-busy");
  }

  let fetchSequence = 0;

  // A failed read (a server hiccup, a dropped network) is tried again a few times;
  // after a reconnect the state is read anew anyway.
  async function refresh(attempt = 0) {
    const sequence = ++fetchSequence;
    const again = () => {
      if (attempt < 4) setTimeout(() => sequence === fetchSequence && refresh(attempt + 1), 1000 * (attempt + 1));
    };
    track(1);
    try {
      // The browser revalidates with the ETag: an unchanged state costs a 304.
      const response = await fetch(body.dataset.stateUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return again();
      const next = await response.json();
      if (sequence !== fetchSequence) return; // a newer read is under way
      state = next;
      render();
    } catch (error) {
      again();
    } finally {
      track(-1);
    }
  }

  // Many boards may share one address (and its request rate): the state is read at
  // most once every two seconds, and not for changes the board does not show.
  const UNSEEN_ACTIONS = new Set(["started", "completed", "held", "no_show"]);
  const READ_GAP_MS = 2000;
  let refreshTimer = null;
  let lastRead = 0;

  function refreshSoon() {
    if (refreshTimer) return; // the planned read will see this change too
    track(1);
    const wait = Math.max(150, lastRead + READ_GAP_MS - Date.now());
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      lastRead = Date.now();
      refresh();
      track(-1);
    }, wait);
  }

  // Sound -------------------------------------------------------------------------------

  let audio = null;
  let soundOn = false;

  function storedChoice() {
    try {
      return sessionStorage.getItem(SOUND_KEY);
    } catch (error) {
      return null;
    }
  }

  function storeChoice(choice) {
    try {
      sessionStorage.setItem(SOUND_KEY, choice);
    } catch (error) {
      // Private mode without storage: ask again after a reload.
    }
  }

  function audioContext() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    return audio;
  }

  function unlockSound() {
    const context = audioContext();
    if (context && context.state !== "running") context.resume().then(updateChip, updateChip);
    if ("speechSynthesis" in window) {
      // Speaking once inside the gesture lets later announcements through.
      const silence = new SpeechSynthesisUtterance("");
      silence.volume = 0;
      window.speechSynthesis.speak(silence);
    }
    soundOn = true;
    storeChoice("on");
    gate.hidden = true;
    updateChip();
  }

  function updateChip() {
    chip.hidden = !soundOn || !audio || audio.state === "running";
  }

  function setUpSound() {
    const choice = storedChoice();
    if (choice === "off") return;
    if (choice === "on") {
      // Chosen earlier in this session; a reloaded page may still need one gesture.
      soundOn = true;
      const context = audioContext();
      if (context && context.state !== "running") {
        context.resume().then(updateChip, updateChip);
        setTimeout(updateChip, 500);
        const once = () => unlockSound();
        document.addEventListener("pointerdown", once, { once: true });
        document.addEventListener("keydown", once, { once: true });
      }
      return;
    }
    gate.hidden = false;
    $("[data-sound-on]").focus();
  }

  $("[data-sound-on]").addEventListener("click", unlockSound);
  chip.addEventListener("click", unlockSound);
  $("[data-sound-off]").addEventListener("click", () => {
    storeChoice("off");
    gate.hidden = true;
  });

  function chime() {
    if (!audio || audio.state !== "running") return Promise.resolve();
    const start = audio.currentTime + 0.05;
    [
      [880, 0],
      [659.25, 0.38],
    ].forEach(([frequency, offset]) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.9);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.95);
    });
    return new Promise((resolve) => setTimeout(resolve, 1300));
  }

  function indonesianVoice() {
    const voices = window.speechSynthesis.getVoices ? window.speechSynthesis.getVoices() : [];
    return voices.find((voice) => voice.lang === "id-ID") || voices.find((voice) => /^id\b/i.test(voice.lang)) || null;
  }

  function speak(sentence) {
    if (!("speechSynthesis" in window)) return Promise.resolve();
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(sentence);
      utterance.lang = "id-ID";
      utterance.rate = 0.9;
      const voice = indonesianVoice();
      if (voice) utterance.voice = voice;
      let timer = null;
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(done, 10000); // some engines never report the end
      utterance.onend = done;
      utterance.onerror = done;
      window.speechSynthesis.speak(utterance);
    });
  }

  // "B 7" → "B 7", "AB 12" → "A B 12", "L B 7" (moved to agency L) → "L B 7": the
  // letters one by one, the number as a number.
  function spokenNumber(spoken) {
    const words = spoken.split(" ");
    const number = words.pop();
    return words.join("").split("").join(" ") + " " + number;
  }

  const announcements = [];
  let announcing = false;

  function announce(call) {
    if (!soundOn) return;
    if (announcements.length >= 5) announcements.shift(); // never lag far behind the floor
    announcements.push(fill(config.spoken, { number: spokenNumber(call.spoken), counter: call.counter }));
    if (!announcing) nextAnnouncement();
  }

  async function nextAnnouncement() {
    const sentence = announcements.shift();
    if (sentence === undefined) {
      announcing = false;
      return;
    }
    announcing = true;
    await chime();
    await speak(sentence);
    setTimeout(nextAnnouncement, 500);
  }

  // Live events and the connection banner ----------------------------------------------

  let source = null;
  let connectedOnce = false;
  let lost = false;
  let lostTimer = null;
  let backTimer = null;
  let retryMs = 2000;
  let retryTimer = null;

  function showBanner(kind, message) {
    banner.dataset.kind = kind;
    banner.textContent = message;
  }

  function hideBanner() {
    delete banner.dataset.kind;
    banner.textContent = "";
  }

  function markLost() {
    clearTimeout(lostTimer);
    lostTimer = null;
    clearTimeout(backTimer);
    lost = true;
    body.dataset.live = "lost";
    showBanner("lost", text.lost);
  }

  function connected() {
    clearTimeout(lostTimer);
    lostTimer = null;
    retryMs = 2000;
    body.dataset.live = "on";
    if (connectedOnce) refresh(); // calls made while the stream was away
    connectedOnce = true;
    if (lost) {
      lost = false;
      showBanner("back", text.back);
      clearTimeout(backTimer);
      backTimer = setTimeout(hideBanner, BACK_SHOWN_MS);
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = new EventSource(body.dataset.eventsUrl);
    source.addEventListener("hello", connected);
    source.addEventListener("ticket", (event) => {
      const data = JSON.parse(event.data);
      if (data.action === "called" || data.action === "recalled") {
        showCall({ number: data.number, counter: data.counter, agency: data.agency }, true);
        announce(data);
      }
      if (!UNSEEN_ACTIONS.has(data.action)) refreshSoon();
    });
    source.addEventListener("error", () => {
      if (!lost && !lostTimer) lostTimer = setTimeout(markLost, LOST_AFTER_MS);
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an error page from a proxy, a restarting server, a
        // server whose streams are full): retry, waiting longer each time.
        retryTimer = setTimeout(connect, jittered(retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    });
  }

  window.addEventListener("offline", () => {
    if (source) source.close();
    markLost();
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, 15000); // in case "online" never comes
  });
  window.addEventListener("online", connect);

  // Start -------------------------------------------------------------------------------

  tick();
  setInterval(tick, 1000);
  setUpSound();
  refresh();
  connect();
  setInterval(refresh, 60000); // a safety net; the stream does the real work
})();
