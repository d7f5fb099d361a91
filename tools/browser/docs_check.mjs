// Starts the `params` example, opens /docs in headless Chromium (Debian's
// package), checks that every operation renders, that "Try it out" +
// "Execute" gets a 200, that /redoc renders, that nothing outside the
// machine was requested, and saves screenshots in target/.
//
//   node tools/browser/docs_check.mjs            (from the project root,
//                                                  after `cargo test` built the examples)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

const port = 18765;
const base = `http://127.0.0.1:${port}`;
const binary = ["target/debug/examples/params", "target/release/examples/params"].find(existsSync);
if (!binary) {
  console.error("docs check: build the examples first (cargo test --workspace)");
  process.exit(1);
}

const server = spawn(binary, [], { env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
const stop = (code) => {
  server.kill();
  process.exit(code);
};
const fail = (message) => {
  console.error(`docs check FAILED: ${message}`);
  stop(1);
};

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/openapi.json`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  fail("the example did not start");
}

await waitForServer();
const operations = Object.values((await (await fetch(`${base}/openapi.json`)).json()).paths)
  .reduce((n, item) => n + Object.keys(item).length, 0);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
const outside = [];
await page.route("**/*", (route) => {
  const url = route.request().url();
  if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
  outside.push(url);
  return route.abort();
});

try {
  await page.goto(`${base}/docs`);
  await page.waitForSelector(".opblock", { timeout: 20000 });
  const rendered = await page.locator(".opblock").count();
  if (rendered !== operations) fail(`Swagger UI shows ${rendered} operations, the document has ${operations}`);

  const operation = page.locator("#operations-default-read_item_items__item_id__get");
  await operation.locator(".opblock-summary").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.locator('input[placeholder="item_id"]').fill("42");
  await operation.getByRole("button", { name: "Execute" }).click();
  const code = operation.locator(".live-responses-table tbody .response-col_status").first();
  await code.waitFor({ timeout: 10000 });
  const status = (await code.innerText()).trim();
  if (status !== "200") fail(`Execute answered ${status}`);
  const body = await operation.locator(".live-responses-table .microlight").first().innerText();
  if (!body.includes('"item_id": 42')) fail(`unexpected response body ${body}`);
  await page.screenshot({ path: "target/docs-swagger.png", fullPage: false });

  await page.goto(`${base}/redoc`);
  await page.waitForSelector("h1", { timeout: 20000 });
  const heading = await page.locator("h1").first().innerText();
  if (!heading.includes("params")) fail(`ReDoc heading is ${heading}`);
  await page.screenshot({ path: "target/docs-redoc.png", fullPage: false });

  if (outside.length) fail(`requests left the machine: ${outside.join(", ")}`);
  console.log(`docs check: ${rendered} operations render, Try it out + Execute answered 200, ReDoc renders, no outside request; screenshots in target/docs-*.png`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
}
stop(0);
