import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from "react";
import type { Locale } from "../format";
import de from "./de.json";
import en from "./en.json";

export const catalogs: Record<Locale, Record<string, string>> = { en, de };
const STORAGE_KEY = "cv.locale";

export function detectLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  const stored = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  if (stored === "en" || stored === "de") return stored;
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "en";
}

type Catalogs = Record<Locale, Record<string, string>>;

export function translate(locale: Locale, key: string, params?: Record<string, string | number>, from: Catalogs = catalogs): string {
  const template = from[locale][key] ?? from.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (params && name in params ? String(params[name]) : `{${name}}`));
}

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: string, params?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** `extra`: an app's own catalogs (e.g. the customer area's), on top of the shared ones. */
export function I18nProvider({ children, extra }: { children: ReactNode; extra?: Catalogs }) {
  const merged = useMemo<Catalogs>(
    () => (extra ? { en: { ...catalogs.en, ...extra.en }, de: { ...catalogs.de, ...extra.de } } : catalogs),
    [extra],
  );
  const [locale, setLocaleState] = useState<Locale>(() => detectLocale());
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo(
    () => ({ locale, setLocale, t: (key: string, params?: Record<string, string | number>) => translate(locale, key, params, merged) }),
    [locale, setLocale, merged],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
