// Sending a command from a page that holds a secret link (the controller's, the participants'): the
// token is the link's fragment (after #), which the browser never sends in a request; each command
// carries it in the Authorization header, with a nonce and the time on the server's clock, so that a
// replayed or stale command is refused. `say` writes the answer in the page's #result line.
"use strict";

const TOKEN = decodeURIComponent(location.hash.slice(1));

function nonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function say(text, refused) {
  const result = document.getElementById("result");
  result.textContent = text;
  result.classList.toggle("refused", Boolean(refused));
}

// POST `command` to `path`; whether the timer took it (the answer is said on the page). `retries`: how
// many more times to try, a moment later, when the timer was too busy to take it in time (503): serve
// withdrew it then, so trying again never counts it twice.
async function sendCommand(path, command, retries = 0) {
  try {
    let response;
    for (let attempt = 0; ; attempt++) {
      response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer " + TOKEN },
        body: JSON.stringify({ ...command, nonce: nonce(), at: serverNow() }),
        credentials: "omit",
      });
      if (response.status !== 503 || attempt >= retries) break;
      await new Promise((done) => setTimeout(done, 300 + Math.random() * 700));
    }
    const answer = await response.json().catch(() => ({}));
    if (response.ok) say(STRINGS.sent, false);
    else say(STRINGS.refused + " (" + response.status + (answer.error ? ": " + answer.error : "") + ")", true);
    return response.ok;
  } catch (error) {
    say(STRINGS.refused + " (" + error + ")", true);
    return false;
  }
}
