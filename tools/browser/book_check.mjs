// Opens every page of the built docs site (docs/book, `mdbook build docs`)
// in headless Chromium (Debian's package), served from this machine, and
// fails on a console error, an uncaught exception, an image that does not
// load, or a request that leaves the machine (the site works offline:
// search index and fonts are local). Saves screenshots of three pages in
// target/book-*.png.
//
//   node tools/browser/book_check.mjs     (from the project root, after
//                                          tools/docs_site.sh built the site)
import { createServer } from "node:http";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const root = "docs/book";
if (!existsSync(join(root, "index.html"))) {
  console.error("book check FAILED: build the site first (tools/docs_site.sh)");
  process.exit(1);
}
const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
  ".png": "image/png", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".json": "application/json" };
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  const file = join(root, path.endsWith("/") ? join(path, "index.html") : path);
  if (!file.startsWith(root) || !existsSync(file)) { response.writeHead(404); response.end(); return; }
  response.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  response.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const pages = readdirSync(root).filter((f) => f.endsWith(".html") && f !== "print.html" && f !== "404.html" && f !== "toc.html").sort();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
const outside = [];
try {
  const page = await browser.newPage();
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
    outside.push(url);
    return route.abort();
  });
  let current = "";
  page.on("console", (message) => { if (message.type() === "error") problems.push(`${current}: console error: ${message.text()}`); });
  page.on("pageerror", (error) => problems.push(`${current}: ${error.message}`));
  for (const name of pages) {
    current = name;
    const response = await page.goto(`${base}/${name}`, { waitUntil: "load" });
    if (!response || response.status() !== 200) problems.push(`${name}: answered ${response && response.status()}`);
    const broken = await page.evaluate(() =>
      Array.from(document.images).filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
    for (const src of broken) problems.push(`${name}: the image ${src} does not load`);
    const title = await page.locator("main h1").first().innerText().catch(() => "");
    if (!title) problems.push(`${name}: no heading`);
  }
  // Search works offline: the index is local.
  await page.goto(`${base}/index.html`);
  await page.locator("#search-toggle").click();
  await page.locator("#searchbar").pressSequentially("validator");
  await page.locator("#searchresults li").first().waitFor({ timeout: 10000 });
  for (const [name, shot] of [["index.html", "intro"], ["bodies.html", "bodies"], ["users-items.html", "users-items"]]) {
    await page.goto(`${base}/${name}`);
    await page.screenshot({ path: `target/book-${shot}.png`, fullPage: false });
  }
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  server.close();
}
if (outside.length) problems.push(`requests left the machine: ${[...new Set(outside)].join(", ")}`);
if (problems.length) {
  console.error(`book check FAILED:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`book check: ${pages.length} pages open without a console error or a broken image, search works offline, nothing left the machine; screenshots in target/book-*.png`);
