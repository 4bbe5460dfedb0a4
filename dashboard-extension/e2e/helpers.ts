import { APIRequestContext, expect, Page } from "@playwright/test";
import { readFileSync } from "node:fs";

export const CONSOLE = "/dashboard/customer-value/";
export const SHOTS = "test-results/screenshots";

export interface Demo {
  card_code: string;
  qr_payload: string;
  spare_card_code: string | null;
  email: string;
}

export const demo = (): Demo => JSON.parse(readFileSync(process.env.CV_DEMO_JSON ?? "test-results/demo.json", "utf8"));

export async function login(page: Page, email = "admin@example.com", password = "admin") {
  await page.addInitScript(() => localStorage.setItem("cv.locale", "en"));
  await page.goto(CONSOLE);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("current-user")).toHaveText(email);
}

export async function shot(page: Page, name: string, fullPage = true) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Straight GraphQL calls, to check what the console shows against the API. */
export async function api(request: APIRequestContext, query: string, variables: Record<string, unknown> = {}, email = "admin@example.com", password = "admin") {
  const tokenResponse = await request.post("/graphql/", {
    data: { query: "mutation($e:String!,$p:String!){tokenCreate(email:$e,password:$p){token}}", variables: { e: email, p: password } },
  });
  const token = (await tokenResponse.json()).data.tokenCreate.token;
  const response = await request.post("/graphql/", { data: { query, variables }, headers: { Authorization: `JWT ${token}` } });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function findByScan(page: Page, payload: string) {
  await page.getByTestId("nav-customers").click();
  const box = page.getByTestId("customer-search");
  await box.fill("");
  // A USB scanner types the payload and presses Enter.
  await box.pressSequentially(payload, { delay: 5 });
  await box.press("Enter");
  await expect(page.getByTestId("customer-page")).toBeVisible();
}

export function customerIdFromUrl(page: Page): string {
  return decodeURIComponent(new URL(page.url()).hash.split("/")[2]);
}
