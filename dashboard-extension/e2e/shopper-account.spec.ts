import { APIRequestContext, expect, Page, test } from "@playwright/test";
import jsQR from "jsqr";
import { readFileSync } from "node:fs";
import { PNG } from "pngjs";
import { api, demo, shot, SHOTS } from "./helpers";

// The shopper's customer area (/account/customer-value/) against the real shop with the
// demo data of bin/test-console; the demo shopper is shopper@example.com.
const ACCOUNT = "/account/customer-value/";
const SHOPPER = { email: "shopper@example.com", password: "shopper-demo" };
const OTHER = "anna.berg@example.com";
// The city network's demo shopper: a member of the bakery's plan by a sale there, no credit line.
const CITYCARD = { email: "citycard@example.com", password: "citycard-demo" };

test.describe.configure({ mode: "serial" });

const asShopper = (request: APIRequestContext, query: string, variables: Record<string, unknown> = {}) =>
  api(request, query, variables, SHOPPER.email, SHOPPER.password);

async function loginShopper(page: Page, locale = "en", who = SHOPPER) {
  await page.addInitScript((l) => localStorage.setItem("cv.locale", l), locale);
  await page.goto(ACCOUNT);
  await page.getByTestId("login-email").fill(who.email);
  await page.getByTestId("login-password").fill(who.password);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("current-user")).toHaveText(who.email);
}

async function userId(request: APIRequestContext, email: string): Promise<string> {
  const data = await api(request, `query($q: String) { customers(first: 1, filter: { search: $q }) { edges { node { id } } } }`, { q: email });
  return data.customers.edges[0].node.id;
}

const euro = (amount: number, locale = "en-GB") => new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(amount);

test("forgot password: Saleor's requestPasswordReset, with the customer area's reset page as the link", async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem("cv.locale", "en"));
  await page.goto(ACCOUNT);
  let sent: any = null;
  page.on("request", (r) => { if (r.postData()?.includes("requestPasswordReset")) sent = r.postDataJSON(); });
  await page.getByTestId("forgot-password").click();
  await expect(page.getByTestId("login-error")).toHaveText("Enter your e-mail address first.");
  await page.getByTestId("login-email").fill(SHOPPER.email);
  await page.getByTestId("forgot-password").click();
  await expect(page.getByTestId("reset-sent")).toBeVisible();
  expect(sent.variables.redirectUrl).toMatch(/\/account\/customer-value\/#\/reset$/);
});

test("the demo shopper logs in and sees the wallet balance and its history", async ({ page, request }) => {
  const mine = await asShopper(request, `{ myWallet { balance { available { amount } } } }`);
  await loginShopper(page);
  await expect(page.getByTestId("wallet-available-EUR")).toHaveText(euro(mine.myWallet.balance.available.amount));
  await expect(page.getByTestId("history-row").first()).toBeVisible();
  const first = await page.getByTestId("history-row").first().textContent();
  await page.getByTestId("history-next").click();
  await expect(page.getByTestId("history-row").first()).not.toHaveText(first!);
  await page.screenshot({ path: `${SHOTS}/account-01-wallet.png`, fullPage: true });
  const filled: Record<string, string> = { points: "points-intro", card: "card-qr", rewards: "reward" };
  for (const section of ["points", "card", "rewards"]) {
    await page.getByTestId(`nav-${section}`).click();
    await expect(page.getByTestId(filled[section]).first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `${SHOTS}/account-02-${section}.png`, fullPage: true });
  }
  await expect(page.getByTestId("badge").first()).toBeVisible();
  await expect(page.getByTestId("reward").first()).toBeVisible();
});

test("a storefront hands over its token in the URL fragment; it leaves the address bar", async ({ page, request }) => {
  const token = (await (await request.post("/graphql/", {
    data: { query: "mutation($e:String!,$p:String!){tokenCreate(email:$e,password:$p){token}}", variables: { e: SHOPPER.email, p: SHOPPER.password } },
  })).json()).data.tokenCreate.token;
  await page.goto(`${ACCOUNT}#token=${encodeURIComponent(token)}`);
  await expect(page.getByTestId("current-user")).toHaveText(SHOPPER.email);
  expect(page.url()).not.toContain(token);
  expect(page.url()).not.toContain("token=");
  expect(await page.evaluate(() => sessionStorage.getItem("cv.token"))).toBe(token);
});

test("the card page: QR decodes to the card, PDF downloads; phone-sized screenshot", async ({ page, request }) => {
  const { myDigitalCard: card } = await asShopper(request, `{ myDigitalCard { code qrPayload } }`);
  await page.setViewportSize({ width: 390, height: 844 });
  await loginShopper(page);
  await page.getByTestId("nav-card").click();
  const qr = page.getByTestId("card-qr");
  await expect(qr).toBeVisible();
  // Large enough to scan from a phone at a till.
  const box = (await qr.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(250);
  await expect(page.getByTestId("card-code")).toHaveText(card.code.replace(/-/g, " "));
  await page.screenshot({ path: `${SHOTS}/account-03-card-phone.png`, fullPage: true });

  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByTestId("card-download-pdf").click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe("%PDF-");

  const [image] = await Promise.all([page.waitForEvent("download"), page.getByTestId("card-download-png").click()]);
  const png = PNG.sync.read(readFileSync((await image.path())!));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded?.data).toBe(card.qrPayload);

  // The QR shown on screen decodes as well (a screenshot of the rendered element).
  const shown = PNG.sync.read(await qr.screenshot());
  expect(jsQR(new Uint8ClampedArray(shown.data), shown.width, shown.height)?.data).toBe(card.qrPayload);
});

test("register a plastic card: a typo gets the hint, the right code registers it", async ({ page }) => {
  const code = demo().spare_card_code as string;
  const last = code.slice(-1);
  const typo = code.slice(0, -1) + (last === "A" ? "B" : "A");
  await loginShopper(page);
  await page.getByTestId("nav-card").click();
  const form = page.getByTestId("register-form");
  await form.getByTestId("register-code").fill(typo);
  await form.getByTestId("register-submit").click();
  await expect(form.getByTestId("register-typo")).toContainText("typo");
  await form.getByTestId("register-code").fill(code.toLowerCase());
  await form.getByTestId("register-submit").click();
  await expect(form.getByTestId("register-done")).toContainText(code.slice(-4));
  await expect(page.getByTestId("my-cards")).toContainText(code.slice(-4));
});

test("convert points into wallet money with a preview first", async ({ page, request }) => {
  const { loyaltyProgram: program } = await asShopper(request, `{ loyaltyProgram { convertPoints convertAmount { amount } convertMinPoints } }`);
  const step = Math.max(program.convertPoints, program.convertMinPoints);
  const shopperId = await userId(request, SHOPPER.email);
  await api(request, `mutation($id: ID!, $p: Decimal!) { loyaltyPointsAdd(input: { customerId: $id, points: $p, note: "E2E: enough to convert", idempotencyKey: "e2e-account-convert" }) { customerValueErrors { code } } }`, { id: shopperId, p: String(step) });
  const before = await asShopper(request, `{ myWallet { balance { available { amount } } } myPoints { balance { available } } }`);

  await loginShopper(page);
  await page.getByTestId("nav-points").click();
  await expect(page.getByTestId("points-available")).toContainText(new Intl.NumberFormat("en-GB").format(before.myPoints.balance.available));
  const form = page.getByTestId("convert-form");
  // points convert in whole steps of the rate: the next whole step above the balance
  const tooMany = (Math.floor(before.myPoints.balance.available / step) + 1) * step;
  await form.getByTestId("convert-points").fill(String(tooMany));
  await expect(form.getByTestId("convert-preview")).toHaveAttribute("data-ok", "no");
  await expect(form.getByTestId("convert-preview")).toContainText("You do not have");
  await expect(form.getByTestId("convert-submit")).toBeDisabled();
  await form.getByTestId("convert-points").fill(String(step));
  const value = (program.convertAmount.amount * step) / program.convertPoints;
  await expect(form.getByTestId("convert-preview")).toContainText(`become ${euro(value)} in your wallet`);
  await page.screenshot({ path: `${SHOTS}/account-04-convert-preview.png`, fullPage: true });
  await form.getByTestId("convert-submit").click();
  const expected = euro(before.myWallet.balance.available.amount + value);
  await expect(form.getByTestId("convert-done")).toContainText(expected);
  const after = await asShopper(request, `{ myWallet { balance { available { amount } } } myPoints { balance { available } } }`);
  expect(after.myPoints.balance.available).toBe(before.myPoints.balance.available - step);
  expect(after.myWallet.balance.available.amount).toBeCloseTo(before.myWallet.balance.available.amount + value, 2);
});

test("German: labels and 1.234,50 €-style amounts", async ({ page, request }) => {
  // A balance above a thousand shows the grouping separator.
  const shopperId = await userId(request, SHOPPER.email);
  await api(request, `mutation($id: ID!) { walletCredit(input: { customerId: $id, amount: "1000.00", note: "E2E: large balance", idempotencyKey: "e2e-account-german" }) { customerValueErrors { code } } }`, { id: shopperId });
  const mine = await asShopper(request, `{ myWallet { balance { available { amount } } } }`);
  await loginShopper(page);
  await page.getByTestId("language").selectOption("de");
  await expect(page.getByTestId("nav-card")).toHaveText("Meine Karte");
  await expect(page.getByRole("heading", { name: "Mein Guthaben" })).toBeVisible();
  const shown = page.getByTestId("wallet-available-EUR");
  await expect(shown).toHaveText(euro(mine.myWallet.balance.available.amount, "de-DE"));
  expect(((await shown.textContent()) ?? "").replace(/\u00a0/g, " ")).toMatch(/^\d{1,3}(\.\d{3})+,\d{2} €$/);
  await page.screenshot({ path: `${SHOTS}/account-05-german.png`, fullPage: true });
  // The choice is remembered (loginShopper's init script sets English again on a reload).
  expect(await page.evaluate(() => localStorage.getItem("cv.locale"))).toBe("de");
});

test("top up: the amount goes into the shopper's checkout, then on to the shop's checkout page", async ({ page, request }) => {
  await loginShopper(page);
  const form = page.getByTestId("topup-form");
  await form.getByTestId("topup-amount").fill("20");
  await form.getByTestId("topup-submit").click();
  await expect(form.getByTestId("topup-added")).toContainText("€20.00");
  const { me } = await asShopper(request, `{ me { checkout { token lines { quantity totalPrice { gross { amount } } } } } }`);
  expect(me.checkout.lines.map((l: any) => l.totalPrice.gross.amount)).toContain(20);
  // bin/test-console sets CUSTOMER_VALUE_STOREFRONT_CHECKOUT_URL to ".../checkout/?token={token}".
  await expect(form.getByTestId("topup-pay")).toHaveAttribute("href", new RegExp(`/checkout/\\?token=${me.checkout.token}$`));
});

test("badges and rewards: the tier, then redeem a reward once and see what is still missing", async ({ page, request }) => {
  await loginShopper(page);
  await page.getByTestId("nav-rewards").click();
  await expect(page.getByTestId("tier-current")).toHaveText("Silver");
  await expect(page.getByTestId("tier-next")).toContainText("missing for Gold");
  const before = await asShopper(request, `{ myPoints { balance { available } } }`);
  const tile = page.getByTestId("reward").filter({ hasText: "5.00 in your wallet" });
  // A double tap redeems once (one idempotency key per reward form).
  await tile.getByTestId("reward-redeem").dblclick();
  await expect(tile.getByTestId("reward-done")).toContainText("€5.00 added to your wallet");
  const after = await asShopper(request, `{ myPoints { balance { available } } rewards { name pointsMissing } }`);
  expect(after.myPoints.balance.available).toBe(before.myPoints.balance.available - 500);
  const missing = after.rewards.filter((r: any) => r.pointsMissing > 0);
  expect(missing.length).toBeGreaterThan(0);
  const fmt = new Intl.NumberFormat("en-GB");
  await expect(page.getByTestId("reward").filter({ hasText: missing[0].name }).getByTestId("reward-missing"))
    .toHaveText(`${fmt.format(missing[0].pointsMissing)} points missing`);
});

test("another shopper's data is never reachable, whatever the URL or the request says", async ({ page, request }) => {
  const otherId = await userId(request, OTHER);
  const theirs = await api(request, `query($id: ID!) { customerWallets(customerId: $id) { balance { available { amount } } } }`, { id: otherId });
  const mine = await asShopper(request, `{ myWallet { balance { available { amount } } } myDigitalCard { id } }`);
  expect(theirs.customerWallets[0].balance.available.amount).not.toBe(mine.myWallet.balance.available.amount);

  await loginShopper(page);
  // Ids in the URL are not an input of the customer area: it shows the shopper's own data.
  for (const path of [`#/wallet/${otherId}`, `#/card/${otherId}`, `?customer=${encodeURIComponent(otherId)}#/wallet`]) {
    await page.goto(`${ACCOUNT}${path}`);
    await expect(page.getByTestId("current-user")).toHaveText(SHOPPER.email);
  }
  await page.goto(`${ACCOUNT}#/wallet/${otherId}`);
  await expect(page.getByTestId("wallet-available-EUR")).toHaveText(euro(mine.myWallet.balance.available.amount));

  // And the API refuses the shopper's token for anybody else's data.
  const token = await page.evaluate(() => sessionStorage.getItem("cv.token"));
  const ask = async (query: string, variables: Record<string, unknown>) =>
    (await (await request.post("/graphql/", { data: { query, variables }, headers: { Authorization: `JWT ${token}` } })).json());
  const wallets = await ask(`query($id: ID!) { customerWallets(customerId: $id) { balance { available { amount } } } }`, { id: otherId });
  expect(wallets.data?.customerWallets ?? null).toBeNull();
  expect(wallets.errors?.[0]?.message).toMatch(/permission/i);
  for (const query of [
    `query($id: ID!) { customerPoints(customerId: $id) { balance { available } } }`,
    `query($id: ID!) { customerCards(customerId: $id) { id } }`,
    `query($id: ID!) { customerBadges(customerId: $id) { tier { measuredValue } } }`,
  ]) {
    const answer = await ask(query, { id: otherId });
    expect(answer.errors?.[0]?.message, query).toMatch(/permission/i);
  }
});

const PLANS = `{ myPartnerPlans { merchantName points rewards { name points pointsMissing } } }`;
const pts = (n: number, locale = "en-GB") => `${new Intl.NumberFormat(locale).format(n)} ${locale === "de-DE" ? "Punkte" : "points"}`;

test("partner card plans: the merchants whose plans the shopper joined, points per plan, rewards still missing", async ({ page, request }) => {
  // the demo shopper joined the bakery's plan (no points there yet)
  const mine = (await asShopper(request, PLANS)).myPartnerPlans;
  expect(mine.map((p: any) => p.merchantName)).toEqual(["Demo Bakery"]);
  await loginShopper(page);
  await page.getByTestId("nav-card").click();
  const plans = page.getByTestId("partner-plan");
  await expect(plans).toHaveCount(mine.length);
  await expect(plans.first().getByTestId("plan-merchant")).toHaveText("Demo Bakery");
  await expect(plans.first().getByTestId("plan-points")).toHaveText(pts(mine[0].points));
  const coffee = plans.first().getByTestId("plan-reward").filter({ hasText: "Coffee to go" });
  await expect(coffee.getByTestId("plan-reward-state")).toHaveText(`${pts(mine[0].rewards[0].pointsMissing)} missing`);
  await page.getByTestId("partner-plans").scrollIntoViewIfNeeded();
  await shot(page, "account-06-partner-plans");

  // the city card shopper collected points at the bakery: a reward is ready, the next one shows what is missing
  const theirs = (await api(request, PLANS, {}, CITYCARD.email, CITYCARD.password)).myPartnerPlans;
  const bakery = theirs.find((p: any) => p.merchantName === "Demo Bakery");
  expect(bakery.points).toBeGreaterThan(0);
  const context = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  const other = await context.newPage();
  await loginShopper(other, "en", CITYCARD);
  // no credit line: no "Pay later" in the menu
  await expect(other.getByTestId("nav-settings")).toBeVisible();
  await expect(other.getByTestId("nav-credit")).toHaveCount(0);
  await other.getByTestId("nav-card").click();
  const plan = other.getByTestId("partner-plan").filter({ hasText: "Demo Bakery" });
  await expect(plan.getByTestId("plan-points")).toHaveText(pts(bakery.points));
  for (const reward of bakery.rewards) {
    await expect(plan.getByTestId("plan-reward").filter({ hasText: reward.name }).getByTestId("plan-reward-state"))
      .toHaveText(reward.pointsMissing > 0 ? `${pts(reward.pointsMissing)} missing` : "Redeem at Demo Bakery");
  }
  expect(bakery.rewards.some((r: any) => r.pointsMissing === 0)).toBe(true);
  await plan.scrollIntoViewIfNeeded();
  await shot(other, "account-07-partner-plans-points");
  await context.close();
});

const CREDIT = `{ myCreditLines { limit { amount } owed { amount } available { amount } overdue statements { number amountDue { amount } paidAmount { amount } dueDate status } } }`;

test("pay later: limit, used, available and the statements with their PDF and CSV", async ({ page, request }) => {
  const [line] = (await asShopper(request, CREDIT)).myCreditLines;
  await page.setViewportSize({ width: 390, height: 844 });
  await loginShopper(page);
  await page.getByTestId("nav-credit").click();
  await expect(page.getByTestId("credit-available")).toHaveText(euro(line.available.amount));
  await expect(page.getByTestId("credit-limit")).toHaveText(euro(line.limit.amount));
  await expect(page.getByTestId("credit-owed")).toHaveText(euro(line.owed.amount));
  await expect(page.getByTestId("credit-overdue")).toHaveCount(line.overdue ? 1 : 0);
  await expect(page.getByTestId("credit-used")).toHaveText(`${euro(line.limit.amount - line.available.amount)} of ${euro(line.limit.amount)} in use`);
  const rows = page.getByTestId("credit-statement");
  await expect(rows).toHaveCount(line.statements.length);
  const first = line.statements[0];
  const row = rows.first();
  await expect(row).toContainText(`Statement no. ${first.number}`);
  const due = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" }).format(new Date(`${first.dueDate}T00:00:00`));
  await expect(row.getByTestId("statement-state")).toHaveText(`${euro(first.amountDue.amount - first.paidAmount.amount)} to pay by ${due}`);
  await shot(page, "account-08-pay-later-phone");

  const [pdf] = await Promise.all([page.waitForEvent("download"), row.getByTestId("statement-pdf").click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe("%PDF-");
  const [csv] = await Promise.all([page.waitForEvent("download"), row.getByTestId("statement-csv").click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  expect(readFileSync((await csv.path())!, "utf8").length).toBeGreaterThan(20);
});

const PREFS = `{ myNotificationPreferences { language marketingOptOut transactionalOptOut } }`;

test("e-mail settings: language and the two opt-outs are saved and shown again", async ({ page, request }) => {
  await loginShopper(page);
  await page.getByTestId("nav-settings").click();
  const form = page.getByTestId("settings-form");
  await expect(form.getByTestId("settings-marketing")).toBeChecked();
  await expect(form.getByTestId("settings-transactional")).toBeChecked();
  await form.getByTestId("settings-language").selectOption("de");
  await form.getByTestId("settings-marketing").uncheck();
  await form.getByTestId("settings-save").click();
  await expect(form.getByTestId("settings-saved")).toHaveText("Your settings are saved.");
  await shot(page, "account-09-settings");
  expect((await asShopper(request, PREFS)).myNotificationPreferences).toEqual({ language: "de", marketingOptOut: true, transactionalOptOut: false });
  // shown again after a reload
  await page.reload();
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("settings-language")).toHaveValue("de");
  await expect(page.getByTestId("settings-marketing")).not.toBeChecked();
  await expect(page.getByTestId("settings-transactional")).toBeChecked();
  // back to the shop's language and every e-mail
  await page.getByTestId("settings-language").selectOption("");
  await page.getByTestId("settings-marketing").check();
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-saved")).toBeVisible();
  expect((await asShopper(request, PREFS)).myNotificationPreferences).toEqual({ language: "", marketingOptOut: false, transactionalOptOut: false });
});

test("German: partner cards, Später bezahlen and E-Mail-Einstellungen with German amounts and dates", async ({ page, request }) => {
  const [line] = (await asShopper(request, CREDIT)).myCreditLines;
  const mine = (await asShopper(request, PLANS)).myPartnerPlans;
  await loginShopper(page, "de");
  await page.getByTestId("nav-card").click();
  await expect(page.getByRole("heading", { name: "Meine Partnerkarten" })).toBeVisible();
  await expect(page.getByTestId("plan-points").first()).toHaveText(pts(mine[0].points, "de-DE"));
  await expect(page.getByTestId("plan-reward-state").first()).toHaveText(`Noch ${pts(mine[0].rewards[0].pointsMissing, "de-DE")}`);
  await page.getByTestId("partner-plans").scrollIntoViewIfNeeded();
  await shot(page, "account-10-german-partner-plans");
  await expect(page.getByTestId("nav-credit")).toHaveText("Später bezahlen");
  await page.getByTestId("nav-credit").click();
  await expect(page.getByTestId("credit-limit")).toHaveText(euro(line.limit.amount, "de-DE"));
  expect(((await page.getByTestId("credit-available").textContent()) ?? "").replace(/\u00a0/g, " ")).toMatch(/^\d+,\d{2} €$/);
  const first = line.statements[0];
  const due = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium" }).format(new Date(`${first.dueDate}T00:00:00`));
  await expect(page.getByTestId("credit-statement").first()).toContainText(`Abrechnung Nr. ${first.number}`);
  await expect(page.getByTestId("statement-state").first()).toHaveText(`${euro(first.amountDue.amount - first.paidAmount.amount, "de-DE")} zu zahlen bis ${due}`);
  await shot(page, "account-11-german-pay-later");
  await page.getByTestId("nav-settings").click();
  await expect(page.getByRole("heading", { name: "E-Mail-Einstellungen" })).toBeVisible();
  await expect(page.getByTestId("settings-language").locator("option[value=de]")).toHaveText("Deutsch");
  await shot(page, "account-12-german-settings");
});
