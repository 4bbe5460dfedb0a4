import { Download, expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { login, shot } from "./helpers";

// The staff console's Reports, Automations and Partners pages against the demo data of
// bin/test-console (populatedb + customer_value_demo: the demo shopper, the city network
// with Demo Bakery (settled and paid), Demo Cinema (settled) and Demo Museum (one open
// booking after the settled period)).

test.describe.configure({ mode: "serial" });

async function csvOf(page: Page, click: () => Promise<unknown>): Promise<string[][]> {
  const [download]: [Download, unknown] = await Promise.all([page.waitForEvent("download"), click()]);
  const text = readFileSync((await download.path())!, "utf8");
  return text.trim().split(/\r?\n/).map((line) => line.split(","));
}

const chooseMerchant = (page: Page, name: string) => page.getByTestId("partners-merchant").selectOption({ label: name });

test("reports: figures and chart, a unit filter, the summary as CSV", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-reports").click();
  const summary = page.getByTestId("reports-summary");
  await expect(summary.locator("tbody tr").first()).toBeVisible();
  await expect(summary).toContainText("Total");
  // amounts formatted for en-GB, no raw decimals or enum values
  await expect(summary).toContainText(/€\d{1,3}(,\d{3})*\.\d{2}/);
  await expect(summary.locator("tbody")).not.toContainText(/\b[A-Z]{3,}_[A-Z_]+\b/);
  await expect(page.getByTestId("reports-liability")).toContainText("€");
  // "3,432 points worth €34.32 (100 points = €1.00)": the unit once, amounts formatted
  await expect(page.getByTestId("reports-points-value")).toHaveText(/^[\d,]+ points worth €[\d,]+\.\d{2} \(100 points = €1\.00\)$/);
  await expect(page.getByTestId("reports-flow").locator(".recharts-surface").first()).toBeVisible();

  await page.getByTestId("reports-unit").selectOption("EUR");
  await expect(summary.locator("tbody tr").first()).toBeVisible();
  await expect(summary.locator("tbody")).not.toContainText("points");
  await page.getByTestId("reports-period").selectOption("MONTH");
  await expect(page.getByTestId("reports-flow")).toContainText("Top-ups");
  await shot(page, "20-reports");

  const rows = await csvOf(page, () => page.getByTestId("export-summary").click());
  expect(rows[0]).toEqual(["unit", "reason", "count", "credit", "debit", "net", "average"]);
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows.slice(1)) {
    expect(row).toHaveLength(7);
    expect(row[0]).toBe("EUR");
  }
  expect(rows.some((r) => r[1] === "total")).toBe(true);
});

test("automations: a segment with its count, a run on it reaches done with its summary", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-automations").click();
  const count = page.getByTestId("segment-count");
  await expect(count).not.toContainText("…");
  const everybody = Number((await count.textContent())!.replace(/\D/g, ""));
  expect(everybody).toBeGreaterThan(1);

  await page.getByTestId("segment-email").fill("shopper@example.com");
  await expect(count).toHaveText(/^1 customer\b/);
  await expect(page.getByTestId("automation-segment")).toContainText("shopper@example.com");

  await page.getByTestId("automation-action").selectOption("ADD_POINTS");
  await page.getByTestId("automation-value").fill("5");
  await page.getByTestId("automation-note").fill("E2E: thank-you points");
  await page.getByTestId("automation-run").click();
  await expect(page.getByTestId("automation-form")).toContainText("The run has started");
  const run = page.getByTestId("run-row").first();
  await expect(run).toHaveAttribute("data-status", "DONE", { timeout: 60_000 });
  await expect(run.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(run).toContainText("Add points 5 points");
  await expect(run).toContainText("Done");
  await expect(run).toContainText("1/1: 1 booked, 0 skipped, 0 failed");
  await shot(page, "21-automations");
});

test("partners: the three demo merchants, the settled statement as CSV, settle now", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-partners").click();
  const picker = page.getByTestId("partners-merchant");
  await expect(picker.locator("option")).toHaveText(["Demo Bakery", "Demo Cinema", "Demo Museum"]);

  // the bakery: settled and paid, nothing open
  await chooseMerchant(page, "Demo Bakery");
  await expect(page.getByTestId("partners-summary")).toContainText("Demo Bakery");
  await expect(page.getByTestId("partners-summary")).toContainText("Commission 5 % · €0.01 per point");
  await expect(page.getByTestId("partners-customers")).toContainText(/\d points/);
  const statement = page.getByTestId("statement-row").first();
  await expect(statement).toBeVisible();
  await expect(statement).toContainText(/€\d+\.\d{2}/);
  await expect(page.getByTestId("partners-bookings")).not.toContainText(/\b(TOPUP|POINTS_EARNED|PAYMENT)\b/);
  await shot(page, "22-partners-bakery");
  const rows = await csvOf(page, () => statement.getByTestId("statement-csv").click());
  expect(rows.length).toBeGreaterThan(1);
  expect(rows[0].length).toBeGreaterThan(3);
  expect(rows.slice(1).some((r) => r.join(",").includes("D-1") || r.join(",").includes("D-3"))).toBe(true);

  await page.getByTestId("partners-settle").click();
  await expect(page.getByTestId("partners-summary").getByTestId("form-errors")).toContainText("no booking since its last statement");
  await expect(page.getByTestId("partners-settled")).toHaveCount(0);
  await shot(page, "23-partners-nothing-to-settle", false);

  // the museum: one open booking after the settled period
  await chooseMerchant(page, "Demo Museum");
  await expect(page.getByTestId("partners-summary")).toContainText("Demo Museum");
  await expect(page.getByTestId("partners-balance")).toContainText("1 booking");
  const before = await page.getByTestId("statement-row").count();
  await page.getByTestId("partners-settle").click();
  await expect(page.getByTestId("statement-row")).toHaveCount(before + 1);
  await expect(page.getByTestId("partners-balance")).toContainText("0 bookings");
  await expect(page.getByTestId("partners-summary").getByTestId("form-errors")).toHaveCount(0);
  await expect(page.getByTestId("partners-settled")).toContainText(`statement ${before + 1} created`);
  await shot(page, "24-partners-museum-settled");
});

test("German: reports, automations and partners in German with German amounts and dates", async ({ page }) => {
  await login(page);
  await page.getByTestId("language").selectOption("de");
  await page.getByTestId("nav-reports").click();
  const summary = page.getByTestId("reports-summary");
  await expect(summary).toContainText("Summe");
  await expect(summary).toContainText(/\d,\d{2}\u00a0€/);
  await expect(page.getByTestId("reports-points-value")).toHaveText(/^[\d.]+ Punkte im Wert von [\d.]+,\d{2}\u00a0€ \(100 Punkte = 1,00\u00a0€\)$/);
  await shot(page, "25-reports-de");

  await page.getByTestId("nav-automations").click();
  await expect(page.getByTestId("run-row").first()).toContainText("Fertig");
  await expect(page.getByTestId("run-row").first()).toContainText("5 Punkte");
  await shot(page, "26-automations-de");

  await page.getByTestId("nav-partners").click();
  await chooseMerchant(page, "Demo Cinema");
  await expect(page.getByTestId("partners-summary")).toContainText("Provision 8 % · 0,01\u00a0€ pro Punkt");
  const statement = page.getByTestId("statement-row").first();
  await expect(statement).toContainText(/\d,\d{2}\u00a0€/);
  await expect(statement).toContainText(/\d{1,2}\.\d{2}\.\d{4}|\d{1,2}\. \p{L}+\.? \d{4}/u);
  await shot(page, "27-partners-de");
  await page.getByTestId("language").selectOption("en");
});
