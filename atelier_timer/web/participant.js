// The participants' page: what the room sees (viewer.js) and, under it, sections the participants act
// in from their phones. Commands go through commands.js with the participants' link's own token, as the
// controller's page does with its own; each browser has its own random id, made here once and kept in
// localStorage, sent with each command (the server limits each one's rate, the session its points).
//
// How to add a section (a question field, a ROTI vote...):
//   1. in participant.html, a <section class="section" data-section="NAME" hidden> with its elements;
//   2. here, SECTIONS.NAME = { shown(state), from(state), render(state) }: shown says from the room's
//      state (live.view_state, sent on every change) whether the feature is on now; from, the part of
//      the state it draws (drawn again only when that changes); render draws it (text with
//      textContent only); its handlers call send({command: "...", ...}), which adds the browser's
//      id, a nonce and the time, and posts it to /participant;
//   3. on the server, the command in control.PARTICIPANT_COMMANDS, its fields checked in
//      control.validate, and applied by run's apply_command.
"use strict";

const BROWSER = (() => {
  let id = localStorage.getItem("atelier-timer-browser");
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id || "")) {
    id = nonce();  // 128 random bits, as a nonce
    localStorage.setItem("atelier-timer-browser", id);
  }
  return id;
})();

// a participant's command: the browser's id with it
function send(command) {
  return sendCommand("/participant", { ...command, browser: BROWSER }, 5);  // a busy timer: tried again
}

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (className) made.className = className;
  return made;
}

// ----- the vote: each browser shares out its points per criterion over the measures -----

const CRITERIA = ["useful", "usable"];
// this browser's points ("N:criterion" -> points): read once from the journal when the page opens (a
// reload, a resumed session), then kept here as this page changes them (the server checks each vote)
const ballot = { mine: {}, loading: null, busy: false, votes: 0, loaded: false };

function loadBallot() {
  if (ballot.loading) return ballot.loading;
  const votes = ballot.votes;
  ballot.loading = fetch("/participant/ballot", {
    headers: { Authorization: "Bearer " + TOKEN, "X-Browser": BROWSER }, credentials: "omit",
  }).then(async (response) => {
    if (!response.ok) throw new Error(String(response.status));
    const read = await response.json();
    const mine = read.ballot || {};
    if (ballot.votes === votes) ballot.mine = mine;  // a vote given meanwhile is newer than what was read
    if (roti.voted === null && Number.isInteger(read.roti)) roti.voted = read.roti;
    ballot.loaded = true;
  }).catch(() => { ballot.loading = null; });  // tried again with the next state
  return ballot.loading;
}

function given(criterion) {
  return Object.entries(ballot.mine).reduce((sum, [key, p]) => sum + (key.endsWith(":" + criterion) ? p : 0), 0);
}

async function give(number, criterion, change, budget) {
  const key = number + ":" + criterion;
  const now = ballot.mine[key] || 0, next = now + change;
  if (ballot.busy || next < 0 || given(criterion) + change > budget) return;
  ballot.busy = true;
  try {
    ballot.votes++;
    if (await send({ command: "vote", measure: number, criterion, points: next })) ballot.mine[key] = next;
  } finally { ballot.busy = false; SECTIONS.vote.render(room.state); }
}

const SECTIONS = {
  vote: {
    shown: (state) => Boolean(state.board && state.board.measures.length),
    from: (state) => state.board,
    render(state) {
      const board = state.board, vote = board.vote;
      put("vote-title", STRINGS.measures);
      put("vote-state", vote.open ? STRINGS.vote_open : vote.shown || vote.voters ? STRINGS.vote_closed : STRINGS.vote_waiting);
      const left = (c) => STRINGS.points_left.replace("{criterion}", STRINGS[c]).replace("{points}", vote.points - given(c));
      put("vote-left", CRITERIA.map(left).join(" · ")
        + " · " + vote.voters + " " + STRINGS.voters);
      const list = document.getElementById("vote-measures");
      list.replaceChildren(...board.measures.map((measure) => {
        const item = element("li");
        item.dataset.number = measure.number;
        item.append(element("span", measure.text, "measure"));
        if (measure.verdict) item.append(element("span", STRINGS[measure.verdict], "verdict"));
        for (const criterion of CRITERIA) {
          const row = element("div", undefined, "criterion");
          const points = ballot.mine[measure.number + ":" + criterion] || 0;
          const less = element("button", "−"), more = element("button", "+");
          less.type = more.type = "button";
          less.dataset.criterion = more.dataset.criterion = criterion;
          less.className = "less"; more.className = "more";
          less.disabled = !vote.open || points === 0;
          more.disabled = !vote.open || given(criterion) >= vote.points;
          less.addEventListener("click", () => give(measure.number, criterion, -1, vote.points));
          more.addEventListener("click", () => give(measure.number, criterion, +1, vote.points));
          const shown = measure.points ? " (" + measure.points[criterion] + ")" : "";
          row.append(element("span", STRINGS[criterion] + shown), less, element("output", String(points)), more);
          item.append(row);
        }
        return item;
      }));
    },
  },
};

// ----- a question for the queue the facilitator moderates; the ROTI, once per browser -----

let asking = false;  // one question in flight: a second Enter before the answer must not send it twice
document.getElementById("ask-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = document.getElementById("ask-text"), name = document.getElementById("ask-name");
  if (asking || !text.value.trim()) return;
  asking = true;
  localStorage.setItem("atelier-timer-asker", name.value.trim());
  try {
    if (await send({ command: "ask", text: text.value, name: name.value.trim() || null })) {
      text.value = "";
      say(STRINGS.ask_sent);  // sent is not shown: the facilitator chooses
    }
  } finally { asking = false; }
});
document.getElementById("ask-name").value = localStorage.getItem("atelier-timer-asker") || "";
document.getElementById("ask-text").addEventListener("keydown", (e) => {  // a question is one line: Enter sends it
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    document.getElementById("ask-form").requestSubmit();
  }
});

const roti = { voted: null };  // the score this page sent and the timer took
async function voteRoti(score) {
  if (roti.voted !== null) return;
  if (await send({ command: "roti_vote", score })) roti.voted = score;
  SECTIONS.roti.render(room.state);
}

SECTIONS.ask = {
  shown: (state) => state.state !== "finished",
  from: () => STRINGS.ask_title,  // drawn once: its words never change
  render() {
    put("ask-title", STRINGS.ask_title);
    document.getElementById("ask-name").placeholder = STRINGS.ask_name;
    document.getElementById("ask-text").placeholder = STRINGS.ask_text;
    put("ask-send", STRINGS.ask_send);
    put("ask-hint", STRINGS.ask_hint);
  },
};

SECTIONS.roti = {
  shown: (state) => Boolean(state.roti && state.roti.open),
  from: (state) => [state.roti, roti.voted],
  render() {
    put("roti-title", roti.voted === null ? STRINGS.roti_title : STRINGS.roti_thanks + " (" + roti.voted + ")");
    const scores = document.getElementById("roti-scores");
    if (!scores.children.length) {
      for (let score = 1; score <= 5; score++) {
        const button = element("button", String(score));
        button.type = "button";
        button.dataset.score = String(score);
        button.addEventListener("click", () => voteRoti(score));
        scores.append(button);
      }
    }
    for (const button of scores.children) {
      button.disabled = roti.voted !== null;
      button.classList.toggle("main", String(roti.voted) === button.dataset.score);
    }
  },
};

let wasOpen = null;
function renderSections() {
  const state = room.state;
  if (!state) return;
  const open = Boolean(state.board && state.board.vote.open);
  if (wasOpen && !open) ballot.loading = null;  // closed: read again what run counted (a vote sent as it closed was not)
  wasOpen = open;
  loadBallot().then(() => drawSections(room.state));
  // not before this browser's points are read: a reloaded page would offer points it already gave
  if (ballot.loaded) drawSections(state);
}

// a section is drawn again only when what it draws from changed (the state changes every step, turn, minute)
const drawn = {};
function drawSections(state) {
  for (const [name, section] of Object.entries(SECTIONS)) {
    const place = document.querySelector('[data-section="' + name + '"]');
    const shown = Boolean(TOKEN) && section.shown(state);
    place.hidden = !shown;
    const key = JSON.stringify([section.from ? section.from(state) : state, ballot.mine]);
    if (shown && drawn[name] !== key) { drawn[name] = key; section.render(state); }
  }
}

document.addEventListener("room-state", renderSections);
renderSections();  // a state may have come before this script ran (viewer.js connects first)
if (!TOKEN) say(STRINGS.no_participant_token, true);
