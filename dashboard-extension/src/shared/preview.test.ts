import { describe, expect, it } from "vitest";
import { canConfirm, initialPreview, previewReducer, PreviewState } from "./preview";

type R = { after: string };
const start = initialPreview<R>();

describe("preview state", () => {
  it("goes from input to a ready preview that allows confirming exactly that input", () => {
    let state: PreviewState<R> = previewReducer(start, { type: "input", request: "10.00" });
    expect(state.status).toBe("loading");
    expect(canConfirm(state, "10.00")).toBe(false);
    state = previewReducer(state, { type: "answer", request: "10.00", result: { after: "72.50" }, allowed: true });
    expect(state.status).toBe("ready");
    expect(canConfirm(state, "10.00")).toBe(true);
    expect(canConfirm(state, "11.00")).toBe(false);
  });
  it("ignores a late answer for an older input", () => {
    let state = previewReducer(start, { type: "input", request: "10.00" });
    state = previewReducer(state, { type: "input", request: "100.00" });
    state = previewReducer(state, { type: "answer", request: "10.00", result: { after: "x" }, allowed: true });
    expect(state.status).toBe("loading");
    expect(state.request).toBe("100.00");
  });
  it("a refused preview cannot be confirmed", () => {
    let state = previewReducer(start, { type: "input", request: "-999.00" });
    state = previewReducer(state, { type: "answer", request: "-999.00", result: { after: "-1" }, allowed: false });
    expect(state.status).toBe("refused");
    expect(canConfirm(state, "-999.00")).toBe(false);
  });
  it("invalid input clears the preview; a failure can be retried", () => {
    expect(previewReducer(start, { type: "input", request: null, invalid: true }).status).toBe("invalid");
    let state = previewReducer(start, { type: "input", request: "5.00" });
    state = previewReducer(state, { type: "failed", request: "5.00", message: "offline" });
    expect(state.status).toBe("error");
    expect(previewReducer(state, { type: "input", request: "5.00" }).status).toBe("loading");
  });
});
