import { setToken } from "../shared/auth-store";

/**
 * Token hand-over from a storefront: it links to (or frames)
 * `/account/customer-value/#token=<jwt>` with the shopper's Saleor JWT. The fragment never
 * reaches a server or a Referer header; the token moves into sessionStorage and is removed
 * from the address bar (and the history entry) at once.
 */
export function takeTokenFromUrl(location: Location = window.location, history: History = window.history): boolean {
  const match = location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (!match) return false;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search + "#/wallet");
  return true;
}

export interface AccountConfig {
  checkoutUrl: string;
  passwordResetUrl: string;
}

/** Shop settings the server writes into the page (see dashboard/views.py). */
export function accountConfig(): AccountConfig {
  const tag = document.getElementById("cv-config");
  const parsed = tag ? JSON.parse(tag.textContent || "{}") : {};
  return { checkoutUrl: parsed.checkoutUrl || "", passwordResetUrl: parsed.passwordResetUrl || "" };
}
