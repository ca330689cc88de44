// The room's view of a session, shared by the viewer and the controller pages.
// The server sends the session's state only when it changes; between two changes the page counts
// down by itself from the state's remaining time, on the server's clock (its offset from ours is
// learnt from the `clock` event sent on connecting). Text goes in with textContent only.
"use strict";

const STRINGS = JSON.parse(document.getElementById("strings").textContent);
const room = { state: null, offset: 0, ended: false, interrupted: false, source: null };
// The terminal's chimes, played as the phase crosses a threshold, once the browser allows sound (most
// want a click first: the button says so until then).
const PHASE_ORDER = { normal: 0, warning: 1, danger: 2, overtime: 3 };
const CHIME_OF_PHASE = { warning: "warning", danger: "danger", overtime: "zero" };
const sound = { allowed: false, last: null };

function serverNow() {
  return Date.now() / 1000 + room.offset;
}

// a remaining time the state gives as of its `wall`, now
function remainingNow(state, remaining) {
  return state.running ? remaining - (serverNow() - state.wall) : remaining;
}

function clockText(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const mmss = String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
  return h ? h + ":" + mmss : mmss;
}

// as the terminal shows it: the remaining time rounded up, the overtime rounded down with a +
function countdownText(remaining) {
  return remaining >= 0 ? clockText(Math.ceil(remaining - 1e-9)) : "+" + clockText(Math.floor(-remaining));
}

// the step's thresholds, or a turn's (a turn has a warning and no danger threshold: danger is null)
function phaseOf(remaining, limits) {
  if (remaining <= 0) return "overtime";
  if (limits.danger !== null && limits.danger !== undefined && remaining <= limits.danger) return "danger";
  if (remaining <= limits.warn) return "warning";
  return "normal";
}

function worse(a, b) {
  return PHASE_ORDER[a] >= PHASE_ORDER[b] ? a : b;
}

function put(id, text) {
  const element = document.getElementById(id);
  if (element && element.textContent !== text) element.textContent = text;
}

function stepLine(step) {
  return step.speaker ? step.title + " — " + step.speaker : step.title;
}

function chime(name) {
  if (!sound.allowed) return;
  new Audio("/chime/" + name + ".wav").play().catch(() => { sound.allowed = false; showSoundButton(); });
}

function showSoundButton() {
  const button = document.getElementById("sound");
  if (!button) return;
  button.textContent = STRINGS.sound;
  button.hidden = sound.allowed;
}

function allowSound() {
  // a click is the gesture browsers ask for: play the softest chime silently to unlock the page's audio
  const probe = new Audio("/chime/turn.wav");
  probe.volume = 0;
  probe.play().then(() => { sound.allowed = true; showSoundButton(); }).catch(showSoundButton);
}

// ring when the phase moves forward within a running step (not on a step change, a pause or a reload)
function ringOnCrossing(state, phase) {
  const here = state.step.index + ":" + (state.turn && state.turn.index !== undefined ? state.turn.index : "");
  const last = sound.last;
  sound.last = { here, phase };
  if (!last || last.here !== here || !state.running) return;
  if (PHASE_ORDER[phase] > PHASE_ORDER[last.phase] && CHIME_OF_PHASE[phase]) chime(CHIME_OF_PHASE[phase]);
}

function show(id, shown) {
  const element = document.getElementById(id);
  if (element && element.hidden === shown) element.hidden = !shown;
}

// what the terminal's stage shows, from the same view (live.room_view): in a step with turns the big
// digits count the turn and the person's name is large, the step's own time smaller under them
function render() {
  const state = room.state;
  const now = new Date(serverNow() * 1000);
  put("clock", now.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
  if (!state) return;
  const body = document.body;
  const step = state.step, turn = state.turn;
  const stepRemaining = remainingNow(state, state.remaining);
  const remaining = turn ? remainingNow(state, turn.remaining) : stepRemaining;
  const length = turn ? turn.duration : step.duration;
  const over = room.ended || state.state === "finished";  // no countdown left to read
  document.title = state.title + " — " + step.title;
  put("title", state.title);
  put("position", STRINGS.step + " " + (step.index + 1) + "/" + step.count);
  put("speaker", step.speaker || "");
  put("step", step.title);
  show("floor", Boolean(state.floor) && !over);
  put("floor", state.floor ? "▶ " + state.floor : "");
  show("person", Boolean(turn) && !over);
  put("person", turn ? turn.name : "");
  show("turn", Boolean(turn) && !over);
  const stepTime = (stepRemaining < 0 ? STRINGS.step_over : STRINGS.step_left) + " " + countdownText(stepRemaining);
  put("turn", turn ? STRINGS.turn + " " + (turn.index + 1) + "/" + turn.count + " · " + (state.hidden ? STRINGS.hidden : stepTime) : "");
  show("countdown", !over);
  put("countdown", state.hidden ? STRINGS.hidden : countdownText(remaining));
  const done = length > 0 ? Math.min(Math.max(1 - remaining / length, 0), 1) : 1;
  document.getElementById("progress").style.width = (done * 100).toFixed(1) + "%";
  const status = { paused: STRINGS.paused, ready: STRINGS.ready, finished: STRINGS.finished }[state.state] || "";
  const connecting = room.source && room.source.readyState !== EventSource.OPEN;
  put("status", room.ended ? STRINGS.ended : room.interrupted ? STRINGS.resuming : connecting ? STRINGS.reconnecting : status);
  put("next", over ? "" : state.next ? STRINGS.next + " " + stepLine(state.next) : STRINGS.last_step);
  put("toggle", state.running ? STRINGS.pause : state.state === "ready" ? STRINGS.start : STRINGS.resume);
  const message = document.getElementById("message");
  const shown = state.message && (state.message.until === null || state.message.until === undefined || serverNow() < state.message.until);
  message.hidden = !shown;
  put("message", shown ? state.message.text : "");
  // a word in capitals across the page; a sentence (an audience's question) smaller, so that it fits the screen whole
  const said = shown ? state.message.text.length : 0;
  message.dataset.length = said > 80 ? "long" : said > 24 ? "medium" : "short";
  message.classList.toggle("flash", Boolean(shown && state.message.flash));
  renderRoti(state.roti);
  let phase = phaseOf(stepRemaining, step);
  if (turn) phase = worse(phase, phaseOf(remaining, { warn: turn.warn, danger: null }));
  ringOnCrossing(state, phase);  // hidden digits still chime: the time is real
  body.dataset.phase = state.hidden ? "normal" : phase;
  body.dataset.state = state.state;
  body.dataset.hidden = String(state.hidden);
  body.dataset.ended = String(room.ended);
  body.dataset.over = String(over);
  renderBoard(state);
}

// the room's vote on the measures, as the terminal's VoteBoard shows it: while it is open, how many
// browsers voted; once revealed, each measure's useful and usable points, the most voted first
function renderBoard(state) {
  const section = document.getElementById("board");
  const board = state.board;
  const shown = Boolean(section && board && (board.vote.open || board.vote.shown));
  const measures = Boolean(board && board.measures.length);
  show("vote-toggle", measures);  // the controller's vote buttons, for an agenda with measures
  show("tally-toggle", measures);
  if (!section) return;
  section.hidden = !shown;
  if (!shown) return;
  put("board-state", (board.vote.open ? STRINGS.vote_is_open : STRINGS.vote_is_closed) + " · " + board.vote.voters + " " + STRINGS.voters);
  const total = (m) => (m.points ? m.points.useful + m.points.usable : 0);
  const ranked = board.vote.shown ? [...board.measures].sort((a, b) => total(b) - total(a) || a.number - b.number) : [];
  const key = JSON.stringify(ranked);
  const list = document.getElementById("tally");
  if (list.dataset.shown === key) return;  // redrawn only when the tally changed
  list.dataset.shown = key;
  list.replaceChildren(...ranked.map((measure) => {
    const item = document.createElement("li");
    item.dataset.number = measure.number;
    const text = document.createElement("span");
    text.textContent = "#" + measure.number + " " + measure.text;
    const points = document.createElement("span");
    points.className = "points";
    points.textContent = STRINGS.useful + " " + measure.points.useful + " · " + STRINGS.usable + " " + measure.points.usable;
    item.append(text, points);
    return item;
  }));
}

// The ROTI, as the terminal's stage shows it (live.room_view): how many voted while it is open, the
// distribution and the mean once the facilitator reveals it; redrawn only when it changes
let rotiShown = null;
function renderRoti(roti) {
  const key = JSON.stringify(roti || null);
  if (key === rotiShown) return;
  rotiShown = key;
  const box = document.getElementById("roti");
  if (!box) return;  // a page without the ROTI's place
  box.hidden = !roti || !(roti.open || roti.revealed);
  box.classList.toggle("revealed", Boolean(roti && roti.revealed));
  box.replaceChildren();
  if (box.hidden) return;
  const head = document.createElement("p");
  head.className = "roti-head";
  if (!roti.revealed) {
    head.textContent = (roti.open ? STRINGS.roti_open : STRINGS.roti_closed) + " " + roti.votes;
    box.append(head);
    return;
  }
  const mean = roti.mean === null ? "—" : roti.mean.toFixed(1).replace(".", document.documentElement.lang === "fr" ? "," : ".");
  head.textContent = "ROTI · " + STRINGS.roti_mean + " " + mean + " / 5 · " + roti.votes + " " + STRINGS.roti_votes;
  box.append(head);
  const most = Math.max(1, ...roti.distribution);
  for (let score = 5; score >= 1; score--) {
    const row = document.createElement("div");
    row.className = "roti-row";
    row.dataset.score = String(score);
    const label = document.createElement("span");
    label.textContent = String(score);
    const bar = document.createElement("span");
    bar.className = "roti-bar";
    bar.style.width = (100 * roti.distribution[score - 1] / most).toFixed(1) + "%";
    const count = document.createElement("span");
    count.className = "roti-count";
    count.textContent = String(roti.distribution[score - 1]);
    row.append(label, bar, count);
    box.append(row);
  }
}

// The page comes back by itself: EventSource retries a dropped stream, and a stream it gave up on (the
// server restarting, a 503 while full) is opened again a few seconds later. Only `end` (the session was
// quit) closes it for good; `interrupted` (the timer's program stopped) waits for it to resume.
const RECONNECT_MS = 3000;

function connect() {
  const source = new EventSource("/events");
  room.source = source;
  source.addEventListener("clock", (e) => { room.offset = JSON.parse(e.data).now - Date.now() / 1000; });
  source.addEventListener("state", (e) => {
    room.state = JSON.parse(e.data); room.interrupted = false; tick();
    document.dispatchEvent(new Event("room-state"));  // the pages' own parts (participant.js) follow the state
  });
  source.addEventListener("interrupted", () => { room.interrupted = true; render(); });
  source.addEventListener("end", () => { room.ended = true; source.close(); render(); document.dispatchEvent(new Event("room-ended")); });
  source.addEventListener("error", () => {
    render();
    if (source.readyState === EventSource.CLOSED && !room.ended && room.source === source) setTimeout(connect, RECONNECT_MS);
  });
}

// seconds until a countdown showing `remaining` changes its digits: it is shown rounded up, an overtime
// rounded down, so the digits turn when the remaining time crosses a whole second, at the moment the
// session's own seconds turn (not the clock's), as the terminal's do
function untilDigitsTurn(remaining) {
  return (remaining > 0 ? remaining - Math.floor(remaining) : Math.ceil(-remaining) + remaining) || 1;
}

// wake just after the next change: a countdown's second (the step's, the turn's), or the clock's; a new
// state draws at once and sets the next wake again (a resume moves when the seconds turn)
let wake = null;
function tick() {
  clearTimeout(wake);
  render();
  if (room.ended) return;
  let wait = 1 - (serverNow() % 1);
  const state = room.state;
  if (state && state.running) {
    wait = Math.min(wait, untilDigitsTurn(remainingNow(state, state.remaining)));
    if (state.turn) wait = Math.min(wait, untilDigitsTurn(remainingNow(state, state.turn.remaining)));
  }
  wake = setTimeout(tick, Math.max(20, wait * 1000 + 20));
}

const soundButton = document.getElementById("sound");
if (soundButton) {
  soundButton.addEventListener("click", allowSound);
  allowSound();  // allowed at once where the browser lets pages play sound (a kiosk, a second visit)
}
connect();
tick();
