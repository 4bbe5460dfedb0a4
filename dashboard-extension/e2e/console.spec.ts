import { expect, test } from "@playwright/test";
import { api, customerIdFromUrl, demo, findByScan, login, shot } from "./helpers";

const WALLET = `query($id: ID!) { customerWallets(customerId: $id) { currency balance { available { amount } } } }`;
const HISTORY = `query($id: ID!, $reasons: [LedgerReasonEnum]) { ledgerTransactions(first: 100, filter: { customers: [$id], reasons: $reasons }) { totalCount edges { node { id note reason } } } }`;

test.describe.configure({ mode: "serial" });

test("log in and find a customer by scanned card payload", async ({ page }) => {
  await login(page);
  await shot(page, "01-search");
  await findByScan(page, demo().qr_payload);
  await expect(page.getByTestId("customer-name")).toHaveText("Demo Shopper");
  await expect(page.getByTestId("wallet-available-EUR")).toContainText("€");
  await expect(page.getByTestId("history-row").first()).toBeVisible();
  // the demo ladder: 2,110 points is Silver, on the way to Gold
  await expect(page.getByTestId("tier")).toContainText("Tier: Silver");
  await expect(page.getByTestId("tier")).toContainText("to Gold");
  await shot(page, "02-customer-value-page");
});

test("credit 10.00 with a note: preview first, then the new balance", async ({ page, request }) => {
  await login(page);
  await findByScan(page, demo().qr_payload);
  const id = customerIdFromUrl(page);
  const before = Number((await api(request, WALLET, { id })).customerWallets[0].balance.available.amount);
  const form = page.getByTestId("wallet-booking");
  await form.getByTestId("wallet-amount").fill("10.00");
  await form.getByTestId("wallet-reason").selectOption("GOODWILL");
  await form.getByTestId("wallet-note").fill("E2E goodwill: parcel arrived late");
  await form.getByTestId("wallet-customer-note").fill("Sorry for the delay");
  const preview = form.getByTestId("wallet-preview");
  await expect(preview).toHaveAttribute("data-status", "ready");
  const fmt = (n: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(n);
  await expect(preview).toContainText(`${fmt(before)} → after booking ${fmt(before + 10)}`);
  await shot(page, "03-booking-preview");
  await form.getByTestId("wallet-confirm").click();
  await expect(form.getByTestId("wallet-booked")).toContainText("Booked €10.00");
  await expect(page.getByTestId("wallet-available-EUR")).toHaveText(fmt(before + 10));
  const after = Number((await api(request, WALLET, { id })).customerWallets[0].balance.available.amount);
  expect(after).toBeCloseTo(before + 10, 2);
});

test("a double-submitted booking books once, also when retried after a network error", async ({ page, request }) => {
  await login(page);
  await findByScan(page, demo().qr_payload);
  const id = customerIdFromUrl(page);
  const before = Number((await api(request, WALLET, { id })).customerWallets[0].balance.available.amount);
  const form = page.getByTestId("wallet-booking");
  const note = `E2E double submit ${Date.now()}`;
  await form.getByTestId("wallet-amount").fill("5");
  await form.getByTestId("wallet-note").fill(note);
  await expect(form.getByTestId("wallet-preview")).toHaveAttribute("data-status", "ready");

  // The first answer is lost on the way back: the server booked, the browser saw an error.
  let dropped = 0;
  await page.route("**/graphql/", async (route) => {
    const body = route.request().postData() ?? "";
    if (body.includes("walletCredit") && dropped === 0) {
      dropped += 1;
      await route.fetch(); // reaches the server and books
      await route.abort("connectionreset");
      return;
    }
    await route.continue();
  });
  await form.getByTestId("wallet-confirm").dblclick();
  await expect(form.getByTestId("form-errors")).toContainText("will not book twice");
  // Staff confirm again (twice, impatiently): same idempotency key, no second booking.
  await form.getByTestId("wallet-confirm").dblclick();
  await expect(form.getByTestId("wallet-booked")).toBeVisible();
  expect(dropped).toBe(1);

  const history = await api(request, HISTORY, { id, reasons: ["GOODWILL"] });
  expect(history.ledgerTransactions.edges.filter((e: any) => e.node.note === note)).toHaveLength(1);
  const after = Number((await api(request, WALLET, { id })).customerWallets[0].balance.available.amount);
  expect(after).toBeCloseTo(before + 5, 2);
});

test("staff without MANAGE_WALLETS cannot book and are told why", async ({ page, request }) => {
  await login(page, "auditor@example.com", "auditor-demo");
  await findByScan(page, demo().qr_payload);
  await expect(page.getByTestId("wallet-booking")).toHaveCount(0);
  await expect(page.getByTestId("missing-permission-MANAGE_WALLETS").first()).toContainText("MANAGE_WALLETS");
  await expect(page.getByTestId("reverse-open")).toHaveCount(0);
  await shot(page, "04-no-permission");
  // The API refuses too, whatever a browser sends.
  const id = customerIdFromUrl(page);
  const refused = await api(
    request,
    `mutation($id: ID!) { walletCredit(input: { customerId: $id, amount: "1.00", note: "x" }) { customerValueErrors { code } } }`,
    { id }, "auditor@example.com", "auditor-demo",
  );
  expect(refused.walletCredit.customerValueErrors[0].code).toBe("PERMISSION_DENIED");
});

test("reverse a transaction from the history with a note", async ({ page, request }) => {
  await login(page);
  await findByScan(page, demo().qr_payload);
  const id = customerIdFromUrl(page);
  const row = page.getByTestId("history-row").filter({ hasText: "E2E goodwill" }).first();
  await row.getByTestId("reverse-open").click();
  const dialog = page.getByTestId("reverse-dialog");
  await expect(dialog.getByTestId("reverse-preview")).toContainText("-€10.00");
  await dialog.getByTestId("reverse-confirm").click();
  await expect(dialog.getByTestId("form-errors")).toContainText("reversed");
  await dialog.getByTestId("reverse-note").fill("E2E: booked by mistake");
  await shot(page, "05-reverse-dialog", false);
  await dialog.getByTestId("reverse-confirm").click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("history-row").filter({ hasText: "E2E: booked by mistake" })).toHaveCount(1);
  const reversals = await api(request, HISTORY, { id, reasons: ["REVERSAL"] });
  expect(reversals.ledgerTransactions.edges.some((e: any) => e.node.note === "E2E: booked by mistake")).toBe(true);
});

test("reversing spent points warns about the clawback", async ({ page }) => {
  await login(page);
  const box = page.getByTestId("customer-search");
  await box.fill("anna.berg@example.com");
  await box.press("Enter");
  await page.getByTestId("search-results").getByRole("link").first().click();
  const row = page.getByTestId("history-row").filter({ hasText: "Bonus campaign" }).first();
  await row.getByTestId("reverse-open").click();
  await expect(page.getByTestId("clawback-warning")).toBeVisible();
  await expect(page.getByTestId("reverse-confirm")).toBeDisabled();
  await shot(page, "06-clawback-warning", false);
});

test("create a 1,000-card batch, watch the progress reach 100 % and download the CSV", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-cards").click();
  await page.getByTestId("batch-name").fill("E2E batch");
  await page.getByTestId("batch-quantity").fill("1000");
  await page.getByTestId("batch-create").click();
  const progress = page.getByTestId("batch-progress");
  await expect(progress).toHaveAttribute("data-status", "DONE", { timeout: 60_000 });
  await expect(progress.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await shot(page, "07-cards");
  const row = page.getByTestId("batch-row").filter({ hasText: "E2E batch" }).first();
  const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("batch-csv").click()]);
  const path = await download.path();
  const lines = (await import("node:fs")).readFileSync(path!, "utf8").trim().split(/\r?\n/);
  expect(lines).toHaveLength(1001); // header + 1,000 cards
  expect(lines[1]).toMatch(/CV1:/);
  // The print PDF is built in the background: progress, then the download.
  const [pdf] = await Promise.all([
    page.waitForEvent("download", { timeout: 60_000 }),
    row.getByTestId("batch-pdf").click(),
  ]);
  await expect(page.getByTestId("print-progress")).toHaveAttribute("data-status", "DONE");
  const bytes = (await import("node:fs")).readFileSync((await pdf.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  expect(bytes.length).toBeGreaterThan(50_000);
  await shot(page, "07b-card-print-file");
});

test("export the ledger CSV and check its rows against the API", async ({ page, request }) => {
  await login(page);
  await page.getByTestId("nav-ledger").click();
  await page.getByTestId("filter-reason").first().selectOption("GOODWILL");
  await expect(page.getByTestId("ledger-totals")).toContainText("Goodwill credit");
  await shot(page, "08-ledger-report");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("ledger-export").click()]);
  const text = (await import("node:fs")).readFileSync((await download.path())!, "utf8");
  const rows = text.trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
  const data = await api(request, `{ ledgerTransactions(first: 100, filter: { reasons: [GOODWILL] }) { totalCount edges { node { id entries { amount account { kind } } } } } }`);
  const fromApi = data.ledgerTransactions.edges.map((e: any) => e.node);
  expect(rows.length).toBe(fromApi.length);
  const pk = (gid: string) => Buffer.from(gid, "base64").toString().split(":")[1];
  expect(rows.map((r) => r[0])).toEqual(fromApi.map((n: any) => pk(n.id)));
  fromApi.forEach((node: any, i: number) => {
    const customerLeg = node.entries.find((e: any) => e.account.kind !== "SYSTEM");
    expect(Number(rows[i][5])).toBeCloseTo(Number(customerLeg.amount), 3);
    expect(rows[i][2]).toBe("goodwill");
  });
});

test("the loyalty program, orders and ledger pages render for an admin", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-loyalty").click();
  await expect(page.getByTestId("loyalty-form")).toBeVisible();
  // A value the API refuses: its message appears next to the field, nothing is saved.
  await page.getByTestId("field-pendingDays").fill("-3");
  await page.getByTestId("loyalty-save").click();
  await expect(page.getByTestId("field-error-pendingDays")).toBeVisible();
  await expect(page.getByTestId("loyalty-saved")).toHaveCount(0);
  await shot(page, "09-loyalty");
  await page.getByTestId("nav-orders").click();
  await page.getByTestId("order-number").fill("999999");
  await page.getByTestId("refund-preview").click();
  await expect(page.getByTestId("refund-preview-result")).toContainText("No order has this number.");
});

test("German: the language switch formats amounts as 1.234,50 €", async ({ page }) => {
  await login(page);
  await page.getByTestId("language").selectOption("de");
  await expect(page.getByTestId("nav-customers")).toHaveText("Kunden");
  await findByScan(page, demo().qr_payload);
  await expect(page.getByTestId("wallet-available-EUR")).toHaveText(/^\d{1,3}(\.\d{3})*,\d{2}\u00a0€$/);
  const form = page.getByTestId("wallet-booking");
  await form.getByTestId("wallet-amount").fill("1.234,50");
  await expect(form.getByTestId("wallet-preview")).toHaveAttribute("data-status", "ready");
  await expect(form.getByTestId("wallet-preview")).toContainText("Stand jetzt");
  await expect(form.getByTestId("wallet-preview")).toContainText(/\d,\d{2}\u00a0€/);
  await shot(page, "11-german");
  await page.getByTestId("language").selectOption("en");
});

test("replace a lost card, then block the new one", async ({ page }) => {
  await login(page);
  await findByScan(page, demo().qr_payload);
  const cards = page.getByTestId("customer-cards");
  page.once("dialog", (dialog) => dialog.accept());
  await cards.getByRole("button", { name: "Replace" }).click();
  await expect(cards.locator("tr", { hasText: "Replaced" })).toHaveCount(1);
  await expect(cards.locator("tr", { hasText: "Active" })).toHaveCount(1);
  page.once("dialog", (dialog) => dialog.accept("Lost at the till"));
  await cards.locator("tr", { hasText: "Active" }).getByRole("button", { name: "Block" }).click();
  await expect(cards.locator("tr", { hasText: "Blocked" })).toContainText("Lost at the till");
  await shot(page, "12-cards-of-a-customer");
});

test("refund an order to the wallet with a retention bonus, preview first", async ({ page, request }) => {
  // given an order of Saleor's demo data, paid by card, with a customer account
  const orders = await api(request, `{ orders(first: 100, filter: { paymentStatus: [FULLY_CHARGED] }) {
    edges { node { id number user { id email } total { gross { amount } } } } } }`);
  const order = orders.orders.edges.map((e: any) => e.node).find((n: any) => n.user && n.total.gross.amount >= 10);
  expect(order, "populatedb made a paid order of a customer").toBeTruthy();
  const before = Number((await api(request, WALLET, { id: order.user.id })).customerWallets[0].balance.available.amount);

  // when staff preview and confirm 10.00 with a 10 % bonus
  await login(page);
  await page.getByTestId("nav-orders").click();
  await page.getByTestId("order-number").fill(order.number);
  await page.getByTestId("refund-amount").fill("10");
  await page.getByTestId("refund-bonus").fill("10");
  await page.getByTestId("refund-preview").click();
  const preview = page.getByTestId("refund-preview-result");
  await expect(preview).toContainText("Refund €10.00 + bonus €1.00 = €11.00 into the wallet");
  await expect(preview).toContainText(order.user.email);
  await shot(page, "10-orders");
  await page.getByTestId("refund-note").fill("E2E: customer keeps the store credit");
  await page.getByTestId("refund-confirm").click();

  // then the wallet has 11.00 more
  await expect(page.getByTestId("refund-done")).toContainText("€11.00");
  const after = Number((await api(request, WALLET, { id: order.user.id })).customerWallets[0].balance.available.amount);
  expect(after).toBeCloseTo(before + 11, 2);
});
