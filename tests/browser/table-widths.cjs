// table-widths.cjs: do a bundle's tables fit a browser window of a given width? Drives Debian's
// headless Chromium over the DevTools protocol on a pipe (chromium.cjs), so it needs
// nothing but node and chromium. Used by tests/testsuite/iso_stage2.rs.
//
// Usage: node table-widths.cjs WIDTH URL...
// Loads each URL in a window WIDTH pixels wide (900 high) and prints one line per URL:
// "FITS <url>" when every table of the page is as wide as its box or narrower, else
// "OVERFLOW <url> <json>" with, per table too wide, its box's and its own width in pixels.
// Exit 0 once every page was measured; 1 when a page does not load in 30 s; 2 on a failure.
// CHROMIUM overrides the browser (default /usr/bin/chromium).
"use strict";
const { launch } = require("./chromium.cjs");

const width = Number(process.argv[2]);
const urls = process.argv.slice(3);
const { send, finish, sleep } = launch(["--hide-scrollbars"]);

// Every table whose box (its scrolling .table-wrap, else its parent) is narrower than it.
// Asked of a page still loading (or of the previous page), it answers null.
const measure = (url) => `location.href !== ${JSON.stringify(url)} || document.readyState !== 'complete'
  ? null
  : JSON.stringify([...document.querySelectorAll('table')].map((t) => {
    const box = t.closest('.table-wrap') || t.parentElement;
    return { table: t.className, box: box.clientWidth, width: Math.ceil(t.getBoundingClientRect().width) };
  }).filter((m) => m.width > m.box + 1))`;

(async () => {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  await send("Emulation.setDeviceMetricsOverride",
    { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
  for (const url of urls) {
    const deadline = Date.now() + 30000;
    await send("Page.navigate", { url }, sessionId);
    let found = null;
    while (found === null) {
      if (Date.now() > deadline) { console.log("TIMEOUT loading " + url); finish(1); }
      await sleep(50);
      const r = await send("Runtime.evaluate", { expression: measure(url), returnByValue: true },
        sessionId).catch(() => null);
      if (r && typeof r.result.value === "string") found = r.result.value;
    }
    console.log(found === "[]" ? "FITS " + url : "OVERFLOW " + url + " " + found);
  }
  finish(0);
})().catch((e) => { console.error(e); finish(2); });
