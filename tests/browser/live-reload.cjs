// live-reload.cjs: does a page served by `evidencepack serve` change in a real browser when its
// source changes? Drives Debian's headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and 4), so it needs nothing
// but node and chromium. Used by tests/testsuite/serve.rs.
//
// Usage: node live-reload.cjs URL [TIMEOUT_SECONDS]
// Prints "LOADED <h1>" once the page has loaded; then, without navigating, waits until the
// page's <h1> differs and prints "CHANGED <h1>". Exit 0 then; 1 on timeout; 2 on a failure.
// CHROMIUM overrides the browser (default /usr/bin/chromium).
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const url = process.argv[2];
const timeout = 1000 * Number(process.argv[3] || 60);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "evidencepack-chromium-"));
const browser = spawn(process.env.CHROMIUM || "/usr/bin/chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
  "--disable-background-networking", "--disable-component-update",
  "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank",
], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });

function finish(code) {
  try { browser.kill("SIGKILL"); } catch (_) { /* gone already */ }
  try { fs.rmSync(profile, { recursive: true, force: true }); } catch (_) { /* best effort */ }
  process.exit(code);
}

let next = 1;
const pending = new Map();
let buffer = Buffer.alloc(0);
browser.stdio[4].on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const message = JSON.parse(buffer.subarray(0, end).toString("utf8"));
    buffer = buffer.subarray(end + 1);
    const waiter = message.id && pending.get(message.id);
    if (waiter) {
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(JSON.stringify(message.error)));
      else waiter.resolve(message.result);
    }
  }
});
browser.on("exit", (code) => { console.error("chromium exited with " + code); finish(2); });

function send(method, params, sessionId) {
  const id = next++;
  const message = { id, method, params: params || {} };
  if (sessionId) message.sessionId = sessionId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    browser.stdio[3].write(JSON.stringify(message) + "\0");
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

(async () => {
  const deadline = Date.now() + timeout;
  const { targetId } = await send("Target.createTarget", { url });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  // The loaded page's <h1>, or "" while loading (or while a reload replaces the page).
  const heading = () => send("Runtime.evaluate", {
    expression: "document.readyState === 'complete' && document.querySelector('h1') " +
      "? document.querySelector('h1').textContent : ''",
    returnByValue: true,
  }, sessionId).then((r) => r.result.value || "", () => "");
  let first = "";
  while (!first) {
    if (Date.now() > deadline) { console.log("TIMEOUT before the page loaded"); finish(1); }
    first = await heading();
    if (!first) await sleep(100);
  }
  console.log("LOADED " + first);
  for (;;) {
    if (Date.now() > deadline) { console.log("TIMEOUT: the page still shows " + first); finish(1); }
    const now = await heading();
    if (now && now !== first) { console.log("CHANGED " + now); finish(0); }
    await sleep(100);
  }
})().catch((e) => { console.error(e); finish(2); });
