import { describe, expect, it } from "vitest";
import { lineState, remaining, statementState, usedPercent } from "./credit";

describe("pay later", () => {
  it("a closed line is closed, an overdue bill wins over suspension", () => {
    expect(lineState({ status: "ACTIVE", overdue: false })).toBe("active");
    expect(lineState({ status: "ACTIVE", overdue: true })).toBe("overdue");
    expect(lineState({ status: "SUSPENDED", overdue: true })).toBe("overdue");
    expect(lineState({ status: "SUSPENDED", overdue: false })).toBe("suspended");
    expect(lineState({ status: "CLOSED", overdue: false })).toBe("closed");
  });
  it("statements: paid, open or overdue", () => {
    expect(statementState({ status: "PAID", overdue: false })).toBe("paid");
    expect(statementState({ status: "OPEN", overdue: false })).toBe("open");
    expect(statementState({ status: "OPEN", overdue: true })).toBe("overdue");
  });
  it("used share of the limit and what is left to pay", () => {
    expect(usedPercent(200, 135.8)).toBe(32);
    expect(usedPercent(200, 200)).toBe(0);
    expect(usedPercent(0, 0)).toBe(100);
    expect(remaining(45.8, 20.1)).toBe(25.7);
    expect(remaining(45.8, 50)).toBe(0);
  });
});
