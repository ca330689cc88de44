// The controller: the viewer page plus commands (sent by commands.js with the link's token).
"use strict";

// the start/pause button's label follows the session's state: viewer.js's render() writes it
const LABELS = {
  previous: "previous", "next-step": "next_step", "remove-minute": "remove_minute",
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

// what this version's timer cannot do yet is not offered
const COMMANDS = JSON.parse(document.getElementById("commands").textContent);
for (const element of document.querySelectorAll("[data-needs]")) element.hidden = !COMMANDS.includes(element.dataset.needs);

function disableAll() {
  for (const element of document.querySelectorAll("button, input")) element.disabled = true;
}
if (!TOKEN) { disableAll(); say(STRINGS.no_token, true); }
document.addEventListener("room-ended", disableAll);
