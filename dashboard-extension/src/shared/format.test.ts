import { describe, expect, it } from "vitest";
import { formatMoney, formatPoints, parseAmount, parsePoints } from "./format";

describe("parseAmount", () => {
  it("reads German amounts", () => {
    expect(parseAmount("10", "de")).toBe("10.00");
    expect(parseAmount("10,5", "de")).toBe("10.50");
    expect(parseAmount("1.234,50", "de")).toBe("1234.50");
    expect(parseAmount("1.234.567,01 €", "de")).toBe("1234567.01");
  });
  it("reads English amounts", () => {
    expect(parseAmount("10.5", "en")).toBe("10.50");
    expect(parseAmount("1,234.50", "en")).toBe("1234.50");
    expect(parseAmount("€ 0.99", "en")).toBe("0.99");
  });
  it("refuses ambiguous or malformed input instead of guessing", () => {
    expect(parseAmount("1.5", "de")).toBeNull(); // German 1.5 is no amount: 1,5 or 1.500?
    expect(parseAmount("10,5", "en")).toBeNull();
    expect(parseAmount("1,23,4", "en")).toBeNull();
    expect(parseAmount("10.123", "en")).toBeNull(); // more precision than cents
    expect(parseAmount("1e5", "en")).toBeNull();
    expect(parseAmount("NaN", "en")).toBeNull();
    expect(parseAmount("", "en")).toBeNull();
    expect(parseAmount("12abc", "de")).toBeNull();
    expect(parseAmount("9999999999999999", "en")).toBeNull();
  });
  it("keeps a sign for the caller to judge", () => {
    expect(parseAmount("-5", "en")).toBe("-5.00");
  });
});

describe("parsePoints", () => {
  it("reads whole points with grouping", () => {
    expect(parsePoints("1.200", "de")).toBe(1200);
    expect(parsePoints("1,200", "en")).toBe(1200);
    expect(parsePoints("50", "de")).toBe(50);
  });
  it("refuses fractions", () => {
    expect(parsePoints("1,5", "de")).toBeNull();
    expect(parsePoints("1.5", "en")).toBeNull();
  });
});

describe("formatting", () => {
  it("formats money per locale", () => {
    expect(formatMoney("1234.5", "EUR", "de")).toBe("1.234,50\u00a0€");
    expect(formatMoney("1234.5", "EUR", "en")).toBe("€1,234.50");
  });
  it("formats points", () => {
    expect(formatPoints("1200", "de")).toBe("1.200 Punkte");
    expect(formatPoints(1200, "en")).toBe("1,200 points");
  });
});
