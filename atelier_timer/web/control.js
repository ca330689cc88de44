// The controller: the viewer page plus commands (sent by commands.js with the link's token).
"use strict";

// the start/pause button's label follows the session's state: viewer.js's render() writes it
const LABELS = {
  previous: "previous", "next-step": "next_step", "previous-turn": "previous_turn", "next-turn": "next_turn", "remove-minute": "remove_minute",
  "add-minute": "add_minute", hide: "hide", "message-send": "send", "message-clear": "clear", "note-send": "note",
  "vote-toggle": "vote_toggle", "tally-toggle": "tally_toggle",
};

function send(command) {
  return sendCommand("/command", command);
}

for (const [id, key] of Object.entries(LABELS)) document.getElementById(id).textContent = STRINGS[key];
document.getElementById("message-text").placeholder = STRINGS.message;
document.getElementById("author").placeholder = STRINGS.author;
document.getElementById("note-text").placeholder = "! * ? #N";
document.getElementById("note-hint").textContent = STRINGS.note_hint;
document.getElementById("author").value = localStorage.getItem("atelier-timer-author") || "";

for (const button of document.querySelectorAll("[data-command]")) {
  button.addEventListener("click", () => send({ command: button.dataset.command }));
}
document.getElementById("message-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = document.getElementById("message-text");
  if (input.value.trim() && (await send({ command: "message", text: input.value }))) input.value = "";
});
document.getElementById("message-clear").addEventListener("click", () => send({ command: "message", text: null }));
let noting = false; // one note in flight: a second Enter before the answer must not send it again
async function sendNote(text) {
  const author = document.getElementById("author").value.trim();
  localStorage.setItem("atelier-timer-author", author);
  return send({ command: "note", text, author: author || null });
}
document.getElementById("note-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = document.getElementById("note-text");
  if (noting || !input.value.trim()) return;
  noting = true;
  try { if (await sendNote(input.value)) input.value = ""; } finally { noting = false; }
});
// A browser's one-line field drops a paste's newlines (three lines would become one glued note):
// each pasted line ended by a newline is one note, sent in order; the rest stays to finish.
document.getElementById("note-text").addEventListener("paste", async (e) => {
  const lines = (e.clipboardData?.getData("text") || "").split(/\r\n|\r|\n/);
  if (lines.length < 2) return;
  e.preventDefault();
  const input = document.getElementById("note-text");
  const rest = lines.pop();
  lines[0] = input.value + lines[0];
  input.value = "";
  noting = true;
  try {
    for (const [n, line] of lines.entries()) {
      if (line.trim() && !(await sendNote(line))) { input.value = lines.slice(n).join(" ") + rest; return; }
    }
    input.value = rest;
  } finally { noting = false; }
});

// ----- the audience: the ROTI's two buttons, and the queue of questions (never on the viewers' stream:
// read with the token from /control/questions at each change of the room's state)

document.getElementById("roti-toggle").textContent = STRINGS.roti_toggle;
document.getElementById("roti-reveal").textContent = STRINGS.roti_reveal;
document.getElementById("questions-title").textContent = STRINGS.questions_title;
document.getElementById("roti-toggle").addEventListener("click", () => {
  const roti = room.state && room.state.roti;
  send({ command: "roti", do: roti && roti.open ? "close" : "open" });
});
document.getElementById("roti-reveal").addEventListener("click", () => {
  const roti = room.state && room.state.roti;
  send({ command: "roti", do: roti && roti.revealed ? "hide" : "reveal" });
});

const STATUS_WORDS = { waiting: "status_waiting", shown: "status_shown", answered: "answered", dropped: "dropped" };
const ORDER = { shown: 0, waiting: 1, answered: 2, dropped: 3 };
const ACTIONS = [["shown", "show"], ["answered", "answered"], ["dropped", "dropped"]];
let queueShown = null, loading = false, again = false;

async function loadQuestions() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    const response = await fetch("/control/questions", { headers: { Authorization: "Bearer " + TOKEN }, credentials: "omit" });
    if (response.ok) drawQuestions((await response.json()).questions || []);
  } catch (error) { /* the next change of state tries again */ }
  finally {
    loading = false;
    if (again) { again = false; loadQuestions(); }
  }
}

function drawQuestions(questions) {
  const key = JSON.stringify(questions);
  if (key === queueShown) return;
  queueShown = key;
  const list = document.getElementById("questions-list");
  const sorted = [...questions].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.id - b.id);
  if (!sorted.length) {
    const none = document.createElement("li");
    none.className = "none";
    none.textContent = STRINGS.questions_none;
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(...sorted.map((question) => {
    const item = document.createElement("li");
    item.dataset.id = String(question.id);
    item.dataset.status = question.status;
    const text = document.createElement("span");
    text.className = "question";
    text.textContent = question.text + (question.name ? " — " + question.name : "");
    const status = document.createElement("span");
    status.className = "status";
    status.textContent = STRINGS[STATUS_WORDS[question.status]];
    item.append(text, status);
    for (const [action, label] of ACTIONS) {
      if (question.status === action) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.status = action;
      button.textContent = STRINGS[label];
      button.addEventListener("click", async () => {
        if (await send({ command: "question", id: question.id, status: action })) loadQuestions();
      });
      item.append(button);
    }
    return item;
  }));
}
if (TOKEN) document.addEventListener("room-state", loadQuestions);
// the turns' buttons only in a step made of turns
document.addEventListener("room-state", () => {
  const turns = Boolean(room.state && room.state.turn);
  for (const id of ["previous-turn", "next-turn"]) document.getElementById(id).hidden = !turns;
});

// what this version's timer cannot do yet is not offered
const COMMANDS = JSON.parse(document.getElementById("commands").textContent);
for (const element of document.querySelectorAll("[data-needs]")) element.hidden = !COMMANDS.includes(element.dataset.needs);

function disableAll() {
  for (const element of document.querySelectorAll("button, input")) element.disabled = true;
}
if (!TOKEN) { disableAll(); say(STRINGS.no_token, true); }
document.addEventListener("room-ended", disableAll);
