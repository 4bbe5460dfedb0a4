import { describe, expect, it } from "vitest";
import { FormKey } from "./idempotency";

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) { return this.data.get(k) ?? null; }
  setItem(k: string, v: string) { this.data.set(k, v); }
  removeItem(k: string) { this.data.delete(k); }
}

describe("FormKey", () => {
  it("repeats the key for the same values (double click, retry)", () => {
    const key = new FormKey("t", null, null);
    const values = { amount: "10.00", note: "goodwill" };
    expect(key.for(values)).toBe(key.for({ ...values }));
  });
  it("changes the key when the values change or after success", () => {
    const key = new FormKey("t", null, null);
    const first = key.for({ amount: "10.00" });
    const second = key.for({ amount: "20.00" });
    expect(second).not.toBe(first);
    key.done();
    expect(key.for({ amount: "20.00" })).not.toBe(second);
  });
  it("survives a reload while the booking is unconfirmed", () => {
    const storage = new MemoryStorage();
    const before = new FormKey("t", "form", storage).for({ amount: "10.00" });
    const reloaded = new FormKey("t", "form", storage);
    expect(reloaded.for({ amount: "10.00" })).toBe(before);
    reloaded.done();
    expect(new FormKey("t", "form", storage).for({ amount: "10.00" })).not.toBe(before);
  });
});
