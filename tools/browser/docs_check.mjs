// Starts the `params` example, opens /docs in headless Chromium (Debian's
// package), checks that every operation renders, that "Try it out" +
// "Execute" gets a 200, that /redoc renders, that nothing outside the
// machine was requested, and saves screenshots in target/. Then starts the
// `security` example and logs in with Swagger UI's Authorize button (the
// OAuth2 password flow: the browser posts the form to the token URL) and
// executes a protected operation, which must answer 200; the same with
// the users/items service (a user registered first, logged in by email).
//
//   node tools/browser/docs_check.mjs            (from the project root,
//                                                  after `cargo test` built the examples)
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const servers = [];
const stop = (code) => {
  for (const server of servers) server.kill();
  process.exit(code);
};
const fail = (message) => {
  console.error(`docs check FAILED: ${message}`);
  stop(1);
};

/// Starts the example `name` on `port` and waits until it answers.
async function startExample(name, port, binaries, env = {}) {
  binaries = binaries || [`target/debug/examples/${name}`, `target/release/examples/${name}`];
  const binary = binaries.find(existsSync);
  if (!binary) fail(`build the examples first (cargo test --workspace): no ${name}`);
  const merged = { ...process.env, ...env, PORT: String(port) };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  servers.push(spawn(binary, [], { env: merged, stdio: "ignore" }));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/openapi.json`)).ok) return base;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`the example ${name} did not start`);
}

const base = await startExample("params", 18765);
const securityBase = await startExample("security", 18766);
// The users/items service on a fresh data directory, with one user.
const dataDir = mkdtempSync(join(tmpdir(), "users-items-"));
const serviceBase = await startExample("users-items", 18767,
  ["target/debug/users-items", "target/release/users-items"], { DATA_DIR: dataDir, DATABASE_URL: undefined, JWT_SECRET: undefined });
const registered = await fetch(`${serviceBase}/users`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: "ann@example.com", password: "correct horse" }),
});
if (registered.status !== 201) fail(`registering on users-items answered ${registered.status}`);
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
  if (url.startsWith(base) || url.startsWith(securityBase) || url.startsWith(serviceBase) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
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

  // Authorize with the password flow, then call a protected operation.
  await page.goto(`${securityBase}/docs`);
  await page.waitForSelector(".opblock", { timeout: 20000 });
  await page.locator(".auth-wrapper .authorize").click();
  const modal = page.locator(".modal-ux");
  await modal.waitFor({ timeout: 10000 });
  const oauth = modal.locator(".auth-container").filter({ hasText: "OAuth2PasswordBearer" });
  await oauth.locator("#oauth_username").fill("johndoe");
  await oauth.locator("#oauth_password").fill("secret");
  // The scope checkboxes are drawn by their labels.
  for (const scope of await oauth.locator('input[type="checkbox"]').all()) {
    await oauth.locator(`label[for="${await scope.getAttribute("id")}"]`).click();
    if (!(await scope.isChecked())) fail("a scope checkbox did not tick");
  }
  const tokenPost = page.waitForResponse((r) => r.url() === `${securityBase}/token`, { timeout: 10000 });
  await oauth.locator(".auth-btn-wrapper .authorize").click();
  const tokenStatus = (await tokenPost).status();
  if (tokenStatus !== 200) fail(`the token URL answered ${tokenStatus} to Swagger UI's login`);
  await oauth.getByText("Authorized", { exact: true }).waitFor({ timeout: 10000 });
  await oauth.locator("button", { hasText: "Logout" }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: "target/docs-authorize.png", fullPage: false });
  await page.locator(".modal-ux .close-modal").click();

  const protectedOp = page.locator("#operations-default-read_users_me_users_me_get");
  await protectedOp.locator(".opblock-summary").click();
  await protectedOp.getByRole("button", { name: "Try it out" }).click();
  await protectedOp.getByRole("button", { name: "Execute" }).click();
  const meCode = protectedOp.locator(".live-responses-table tbody .response-col_status").first();
  await meCode.waitFor({ timeout: 10000 });
  const meStatus = (await meCode.innerText()).trim();
  if (meStatus !== "200") fail(`/users/me answered ${meStatus} after Authorize`);
  const meBody = await protectedOp.locator(".live-responses-table .microlight").first().innerText();
  if (!meBody.includes('"username": "johndoe"')) fail(`unexpected /users/me body ${meBody}`);

  // The users/items service: Authorize with the email, then /users/me.
  await page.goto(`${serviceBase}/docs`);
  await page.waitForSelector(".opblock", { timeout: 20000 });
  await page.locator(".auth-wrapper .authorize").click();
  const serviceModal = page.locator(".modal-ux");
  await serviceModal.waitFor({ timeout: 10000 });
  const login = serviceModal.locator(".auth-container").filter({ hasText: "OAuth2PasswordBearer" });
  await login.locator("#oauth_username").fill("ann@example.com");
  await login.locator("#oauth_password").fill("correct horse");
  const serviceToken = page.waitForResponse((r) => r.url() === `${serviceBase}/token`, { timeout: 10000 });
  await login.locator(".auth-btn-wrapper .authorize").click();
  const serviceTokenStatus = (await serviceToken).status();
  if (serviceTokenStatus !== 200) fail(`users-items /token answered ${serviceTokenStatus} to Swagger UI's login`);
  await login.getByText("Authorized", { exact: true }).waitFor({ timeout: 10000 });
  await page.locator(".modal-ux .close-modal").click();
  const serviceMe = page.locator("#operations-users-read_users_me");
  await serviceMe.locator(".opblock-summary").click();
  await serviceMe.getByRole("button", { name: "Try it out" }).click();
  await serviceMe.getByRole("button", { name: "Execute" }).click();
  const serviceMeCode = serviceMe.locator(".live-responses-table tbody .response-col_status").first();
  await serviceMeCode.waitFor({ timeout: 10000 });
  const serviceMeStatus = (await serviceMeCode.innerText()).trim();
  if (serviceMeStatus !== "200") fail(`users-items /users/me answered ${serviceMeStatus} after Authorize`);
  const serviceMeBody = await serviceMe.locator(".live-responses-table .microlight").first().innerText();
  if (!serviceMeBody.includes('"email": "ann@example.com"')) fail(`unexpected users-items /users/me body ${serviceMeBody}`);
  await page.screenshot({ path: "target/docs-users-items.png", fullPage: false });

  if (outside.length) fail(`requests left the machine: ${outside.join(", ")}`);
  console.log(`docs check: ${rendered} operations render, Try it out + Execute answered 200, ReDoc renders, Authorize (OAuth2 password flow) then /users/me answered 200 on the security example and on users-items, no outside request; screenshots in target/docs-*.png`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
}
stop(0);
