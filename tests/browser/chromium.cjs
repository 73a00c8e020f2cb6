// chromium.cjs: Debian's headless Chromium driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and 4), so the browser tests need
// nothing but node and chromium. Shared by live-reload.cjs and table-widths.cjs.
//
// launch(extraFlags) starts the browser on about:blank with a fresh profile and returns
// { send, finish, sleep }: send(method, params, sessionId) resolves with the command's result (or
// rejects with its error); finish(code) kills the browser, removes the profile and exits with
// code; sleep(ms) waits. The browser exiting on its own ends the script with 2.
// CHROMIUM overrides the browser (default /usr/bin/chromium).
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

function launch(extraFlags) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "evidencepack-chromium-"));
  const browser = spawn(process.env.CHROMIUM || "/usr/bin/chromium", [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update", ...(extraFlags || []),
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
  return { send, finish, sleep };
}

module.exports = { launch };
