import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import accountDe from "../../account/i18n/de.json";
import accountEn from "../../account/i18n/en.json";
import { staffCatalogs } from "../../staff/catalogs";
import de from "./de.json";
import en from "./en.json";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "gql" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

// The shared catalogs (staff console) and the customer area's own, on top of them.
const pairs: [string, Record<string, string>, Record<string, string>][] = [
  ["shared", en, de],
  ["account", accountEn, accountDe],
  ["staff", staffCatalogs.en, staffCatalogs.de],
];

describe("message catalogs", () => {
  it.each(pairs)("%s: German and English have the same keys and placeholders", (_name, english, german) => {
    expect(Object.keys(german).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english)) {
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(german[key]), key).toEqual(placeholders(text));
    }
  });
  it("every literal key used by the console exists", () => {
    const root = join(__dirname, "..", "..");
    const used = new Set<string>();
    for (const file of sources(root)) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bt\("([\w.]+)"/g)) used.add(match[1]);
    }
    const missing = [...used].filter((key) => !(key in en) && !(key in accountEn) && !(key in staffCatalogs.en));
    expect(missing).toEqual([]);
  });
});
