// Amounts travel as decimal strings (the API's Decimal scalar): never through floats
// for anything but display.

export type Locale = "en" | "de";

const intlLocale = (locale: Locale) => (locale === "de" ? "de-DE" : "en-GB");

export function formatMoney(amount: string | number | null | undefined, currency: string, locale: Locale): string {
  if (amount === null || amount === undefined || amount === "") return "–";
  if (currency === "PTS") return formatPoints(amount, locale);
  // Intl formats decimal strings exactly (no float rounding of "0.1").
  return new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency }).format(String(amount) as any);
}

export function formatPoints(points: string | number, locale: Locale): string {
  const whole = String(points).replace(/\.0+$/, "");
  const suffix = locale === "de" ? "Punkte" : "points";
  return `${new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(whole as any)} ${suffix}`;
}

export function formatAmount(amount: string | number, unit: string, locale: Locale): string {
  return unit === "PTS" ? formatPoints(amount, locale) : formatMoney(amount, unit, locale);
}

export function formatDateTime(value: string | null | undefined, locale: Locale): string {
  if (!value) return "–";
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function formatDate(value: string | null | undefined, locale: Locale): string {
  if (!value) return "–";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium" }).format(date);
}

/**
 * Parse what staff type into a decimal string for the API, or null when it is not an
 * amount. German staff type "1.234,50" or "10,5", English staff "1,234.50" or "10.5";
 * both may type a plain "10". Grouping separators are accepted only in valid places,
 * so "1.5" in German (probably meant 1,5) is refused instead of read as 15.
 */
export function parseAmount(input: string, locale: Locale, maxDecimals = 2): string | null {
  const text = input.trim().replace(/\s|\u00a0|€|EUR|CHF|USD|\$/gi, "");
  if (!text) return null;
  const decimal = locale === "de" ? "," : ".";
  const group = locale === "de" ? "." : ",";
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const [intPart, fracPart, ...rest] = body.split(decimal);
  if (rest.length) return null;
  let digits: string;
  if (intPart.includes(group)) {
    const escaped = group === "." ? "\\." : ",";
    if (!new RegExp(`^\\d{1,3}(${escaped}\\d{3})+$`).test(intPart)) return null;
    digits = intPart.split(group).join("");
  } else {
    if (!/^\d+$/.test(intPart)) return null;
    digits = intPart;
  }
  if (fracPart !== undefined) {
    if (maxDecimals === 0 || !new RegExp(`^\\d{1,${maxDecimals}}$`).test(fracPart)) return null;
  }
  if (digits.length > 15) return null;
  const whole = digits.replace(/^0+(?=\d)/, "");
  const normalised = maxDecimals ? `${whole}.${(fracPart ?? "").padEnd(maxDecimals, "0")}` : whole;
  return (negative ? "-" : "") + normalised;
}

/** Whole points: "1.200" in German and "1,200" in English both mean 1200. */
export function parsePoints(input: string, locale: Locale): number | null {
  const parsed = parseAmount(input, locale, 0);
  if (parsed === null) return null;
  const value = Number(parsed);
  return Number.isSafeInteger(value) ? value : null;
}
