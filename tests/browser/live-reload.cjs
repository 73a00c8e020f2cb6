// live-reload.cjs: does a page served by `evidencepack serve` change in a real browser when its
// source changes? Drives Debian's headless Chromium over the DevTools protocol on a pipe
// (chromium.cjs), so it needs nothing but node and chromium. Used by tests/testsuite/serve.rs.
//
// Usage: node live-reload.cjs URL [TIMEOUT_SECONDS]
// Prints "LOADED <h1>" once the page has loaded; then, without navigating, waits until the
// page's <h1> differs and prints "CHANGED <h1>". Exit 0 then; 1 on timeout; 2 on a failure.
// CHROMIUM overrides the browser (default /usr/bin/chromium).
"use strict";
const { launch } = require("./chromium.cjs");

const url = process.argv[2];
const timeout = 1000 * Number(process.argv[3] || 60);
const { send, finish, sleep } = launch([]);

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
