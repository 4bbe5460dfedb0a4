import { Box, Button, Input, Textarea } from "@saleor/macaw-ui";
import { FormEvent, ReactNode, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { ErrorList, NativeSelect, Notice } from "../../shared/components";
import { formatAmount, parseAmount, parsePoints } from "../../shared/format";
import { FormKey } from "../../shared/idempotency";
import { useI18n } from "../../shared/i18n";
import { canConfirm, initialPreview, previewReducer } from "../../shared/preview";

export interface PreviewResult {
  allowed: boolean;
  before: string;
  after: string;
}

export interface BookingValues {
  direction: "credit" | "debit";
  amount: string; // normalised decimal string (positive)
  reason: string;
  note: string;
  customerNote: string;
}

type Errors = { field?: string | null; message?: string | null }[];

/**
 * A manual booking: direction, amount, reason, a mandatory internal note and an
 * optional note for the customer, with a live preview of the resulting balance.
 * Confirm is possible only for the amount the preview shows; every submit of the same
 * values carries the same idempotency key.
 */
export function BookingForm(props: {
  kind: "wallet" | "points";
  unit: string;
  customerId: string;
  reasons: { credit: string[]; debit: string[] };
  preview: (signedAmount: string) => Promise<PreviewResult>;
  book: (values: BookingValues, idempotencyKey: string) => Promise<Errors | null>;
  onBooked: () => void;
  children?: ReactNode;
}) {
  const { t, locale } = useI18n();
  const [direction, setDirection] = useState<"credit" | "debit">("credit");
  const [rawAmount, setRawAmount] = useState("");
  const [reason, setReason] = useState(props.reasons.credit[0]);
  const [note, setNote] = useState("");
  const [customerNote, setCustomerNote] = useState("");
  const [errors, setErrors] = useState<Errors | null>(null);
  const [booked, setBooked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, dispatch] = useReducer(previewReducer<PreviewResult>, initialPreview<PreviewResult>());
  const formKey = useMemo(() => new FormKey(`console:${props.kind}`, `cv.key.${props.kind}.${props.customerId}`), [props.kind, props.customerId]);
  const submitting = useRef(false);

  const amount = props.kind === "points" ? (() => { const p = parsePoints(rawAmount, locale); return p === null || p <= 0 ? null : String(p); })() : (() => { const a = parseAmount(rawAmount, locale); return a === null || a.startsWith("-") || Number(a) === 0 ? null : a; })();
  const request = amount === null ? null : `${direction === "debit" ? "-" : ""}${amount}`;

  useEffect(() => {
    if (!rawAmount.trim()) return dispatch({ type: "input", request: null });
    if (request === null) return dispatch({ type: "input", request: null, invalid: true });
    dispatch({ type: "input", request });
    const timer = setTimeout(async () => {
      try {
        const result = await props.preview(request);
        dispatch({ type: "answer", request, result, allowed: result.allowed });
      } catch (e) {
        dispatch({ type: "failed", request, message: (e as Error).message });
      }
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request, rawAmount]);

  useEffect(() => {
    const options = direction === "credit" ? props.reasons.credit : props.reasons.debit;
    if (!options.includes(reason)) setReason(options[0]);
  }, [direction, props.reasons, reason]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    if (!note.trim()) {
      setErrors([{ field: "note", message: t("booking.noteRequired") }]);
      return;
    }
    if (!canConfirm(preview, request) || amount === null) return;
    const values: BookingValues = { direction, amount, reason, note: note.trim(), customerNote: customerNote.trim() };
    const key = formKey.for({ ...values, customer: props.customerId });
    if (submitting.current) return; // the same key would be replayed anyway
    submitting.current = true;
    setBusy(true);
    try {
      const problems = await props.book(values, key);
      if (problems && problems.length) {
        setErrors(problems);
        return;
      }
      formKey.done();
      setBooked(t("booking.done", { amount: formatAmount(request!, props.unit, locale) }));
      setRawAmount("");
      setNote("");
      setCustomerNote("");
      props.onBooked();
    } catch (e) {
      // A network error: the key stays, so confirming again cannot book twice.
      setErrors([{ message: t("booking.networkError", { message: (e as Error).message }) }]);
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  const reasons = direction === "credit" ? props.reasons.credit : props.reasons.debit;
  return (
    <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} data-testid={`${props.kind}-booking`}>
      <div className="cv-row">
        <NativeSelect
          label={t("booking.direction")}
          value={direction}
          onChange={(e) => setDirection(e.target.value as "credit" | "debit")}
          options={[
            { value: "credit", label: t(props.kind === "points" ? "booking.addPoints" : "booking.credit") },
            { value: "debit", label: t(props.kind === "points" ? "booking.subtractPoints" : "booking.debit") },
          ]}
          data-testid={`${props.kind}-direction`}
        />
        <Input
          label={props.kind === "points" ? t("booking.points") : t("booking.amount", { currency: props.unit })}
          value={rawAmount}
          onChange={(e) => { setRawAmount(e.target.value); setBooked(null); }}
          error={preview.status === "invalid"}
          helperText={preview.status === "invalid" ? t(props.kind === "points" ? "booking.invalidPoints" : "booking.invalidAmount") : undefined}
          inputMode="decimal"
          data-testid={`${props.kind}-amount`}
        />
        {props.kind === "wallet" && (
          <NativeSelect
            label={t("booking.reason")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            options={reasons.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
            data-testid="wallet-reason"
          />
        )}
      </div>
      <Textarea label={t("booking.note")} value={note} onChange={(e) => setNote(e.target.value)} rows={2} data-testid={`${props.kind}-note`} />
      <Input label={t("booking.customerNote")} value={customerNote} onChange={(e) => setCustomerNote(e.target.value)} data-testid={`${props.kind}-customer-note`} />
      <div className="cv-preview" data-testid={`${props.kind}-preview`} data-status={preview.status}>
        {preview.status === "empty" && t("preview.empty")}
        {preview.status === "invalid" && t("preview.invalid")}
        {preview.status === "loading" && t("preview.loading")}
        {(preview.status === "ready" || preview.status === "refused") && preview.result && (
          <>
            {t("preview.result", {
              before: formatAmount(preview.result.before, props.unit, locale),
              after: formatAmount(preview.result.after, props.unit, locale),
            })}
            {preview.status === "refused" && <div className="cv-neg">{t("preview.refused")}</div>}
          </>
        )}
        {preview.status === "error" && <span className="cv-neg">{preview.message}</span>}
      </div>
      <ErrorList errors={errors} />
      {booked && <Notice tone="success" testId={`${props.kind}-booked`}>{booked}</Notice>}
      <Box display="flex" justifyContent="flex-end">
        <Button type="submit" variant="primary" disabled={busy || !canConfirm(preview, request)} data-testid={`${props.kind}-confirm`}>
          {t("booking.confirm")}
        </Button>
      </Box>
    </Box>
  );
}
