import { describe, expect, it } from "vitest";
import { emptySegment, toSegmentInput } from "./AutomationsPage";

describe("segment form", () => {
  it("leaves empty fields out and reads numbers the way the locale writes them", () => {
    expect(toSegmentInput(emptySegment, "de")).toEqual({});
    expect(toSegmentInput({ ...emptySegment, pointsMin: "5.000", badge: "QmFkZ2U6MQ==", country: "de", totalSpentMin: "100,50" }, "de")).toEqual({
      pointsMin: 5000, badges: ["QmFkZ2U6MQ=="], country: "DE", totalSpentMin: "100.50",
    });
  });
});
