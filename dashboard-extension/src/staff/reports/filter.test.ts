import { describe, expect, it } from "vitest";
import { toReportFilter } from "./ReportsPage";

describe("report filter", () => {
  it("sends amounts as the locale writes them, empty fields as null", () => {
    const base = { dateFrom: "2026-11-01", dateTo: "", unit: "", amountMin: "1.234,50", amountMax: "" };
    expect(toReportFilter(base, "de")).toEqual({
      dateFrom: "2026-11-01", dateTo: null, unit: null, amount: { gte: "1234.500", lte: null },
    });
    expect(toReportFilter({ ...base, amountMin: "" }, "en").amount).toBeNull();
  });
});
