// The state of a booking form's live preview: what was asked, what the server answered,
// and whether the answer still belongs to what the form shows now (the answer to an
// older input must never be shown as the preview of the current one).

export type PreviewStatus = "empty" | "invalid" | "loading" | "ready" | "refused" | "error";

export interface PreviewState<T> {
  status: PreviewStatus;
  request: string | null; // the normalised input the preview is for
  result: T | null;
  message: string | null;
}

export type PreviewAction<T> =
  | { type: "input"; request: string | null; invalid?: boolean }
  | { type: "answer"; request: string; result: T; allowed: boolean }
  | { type: "failed"; request: string; message: string };

export const initialPreview = <T>(): PreviewState<T> => ({ status: "empty", request: null, result: null, message: null });

export function previewReducer<T>(state: PreviewState<T>, action: PreviewAction<T>): PreviewState<T> {
  switch (action.type) {
    case "input":
      if (action.invalid) return { status: "invalid", request: null, result: null, message: null };
      if (action.request === null) return initialPreview<T>();
      if (action.request === state.request && state.status !== "error") return state;
      return { status: "loading", request: action.request, result: null, message: null };
    case "answer":
      if (action.request !== state.request) return state; // stale answer
      return { status: action.allowed ? "ready" : "refused", request: state.request, result: action.result, message: null };
    case "failed":
      if (action.request !== state.request) return state;
      return { status: "error", request: state.request, result: null, message: action.message };
  }
}

/** Booking may be confirmed only when the preview for exactly this input is allowed. */
export const canConfirm = (state: PreviewState<unknown>, request: string | null) =>
  state.status === "ready" && request !== null && state.request === request;
