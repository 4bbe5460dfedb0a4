import { Box, Button, Input, Text, Textarea } from "@saleor/macaw-ui";
import { FormEvent, useMemo, useState } from "react";
import { useClient } from "urql";
import { ErrorList, Notice, PageTitle, Panel, RequirePermission } from "../../shared/components";
import { formatMoney, parseAmount } from "../../shared/format";
import { FormKey } from "../../shared/idempotency";
import { useI18n } from "../../shared/i18n";
import { RefundPreview, RefundToWallet } from "../queries";

export function OrdersPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("orders.title")}</PageTitle>
      <RequirePermission permission="MANAGE_WALLETS" what={t("orders.title")}>
        <RefundForm />
      </RequirePermission>
    </>
  );
}

function RefundForm() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [number, setNumber] = useState("");
  const [amount, setAmount] = useState("");
  const [percent, setPercent] = useState("");
  const [note, setNote] = useState("");
  const [preview, setPreview] = useState<any>(null);
  const [errors, setErrors] = useState<any[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formKey = useMemo(() => new FormKey("console:refund", "cv.key.refund"), []);

  const load = async (event?: FormEvent) => {
    event?.preventDefault();
    setErrors(null);
    setDone(null);
    const parsedAmount = amount.trim() ? parseAmount(amount, locale) : null;
    const parsedPercent = percent.trim() ? parseAmount(percent, locale) : null;
    if (amount.trim() && parsedAmount === null) return setErrors([{ field: "amount", message: t("booking.invalidAmount") }]);
    if (percent.trim() && parsedPercent === null) return setErrors([{ field: "retentionBonusPercent", message: t("booking.invalidAmount") }]);
    const r = await client.query(RefundPreview, { orderNumber: number, amount: parsedAmount, percent: parsedPercent }, { requestPolicy: "network-only" }).toPromise();
    if (r.error) return setErrors([{ message: r.error.message }]);
    setPreview({ ...r.data!.orderRefundToWalletPreview, percent: parsedPercent });
  };

  const confirm = async () => {
    if (!note.trim()) return setErrors([{ field: "note", message: t("booking.noteRequired") }]);
    const values = { orderId: preview.orderId, amount: preview.amount, percent: preview.percent, note: note.trim() };
    setBusy(true);
    try {
      const r = await client.mutation(RefundToWallet, { ...values, idempotencyKey: formKey.for(values) }).toPromise();
      const problems = r.error ? [{ message: r.error.message }] : r.data?.orderRefundToWallet?.customerValueErrors;
      if (problems?.length) return setErrors(problems);
      formKey.done();
      setDone(t("orders.done", { amount: formatMoney(preview.totalCredit, preview.currency, locale), email: preview.customerEmail }));
      setPreview(null);
      setNote("");
    } finally {
      setBusy(false);
    }
  };

  const m = (v: string | null) => formatMoney(v, preview?.currency ?? "EUR", locale);
  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Panel title={t("orders.refundTitle")}>
        <Text color="default2">{t("orders.explain")}</Text>
        <Box as="form" onSubmit={load} display="flex" flexDirection="column" gap={3}>
          <div className="cv-row">
            <Input label={t("orders.number")} value={number} onChange={(e) => { setNumber(e.target.value); setPreview(null); }} data-testid="order-number" />
            <Input label={t("orders.amount")} helperText={t("orders.amountHelp")} value={amount} onChange={(e) => { setAmount(e.target.value); setPreview(null); }} data-testid="refund-amount" />
            <Input label={t("orders.bonus")} value={percent} onChange={(e) => { setPercent(e.target.value); setPreview(null); }} data-testid="refund-bonus" />
          </div>
          <Box display="flex" justifyContent="flex-end"><Button type="submit" variant="secondary" data-testid="refund-preview">{t("orders.preview")}</Button></Box>
        </Box>
        {preview && (
          <div className="cv-preview" data-testid="refund-preview-result">
            {preview.orderNumber && <div>{t("orders.order", { number: preview.orderNumber, email: preview.customerEmail ?? "–" })}</div>}
            {preview.captured != null && (
              <>
                <div>{t("orders.captured")}: {m(preview.captured)} · {t("orders.alreadyRefunded")}: {m(preview.alreadyRefunded)} · {t("orders.refundable")}: {m(preview.refundable)}</div>
                <div><strong>{t("orders.credit", { amount: m(preview.amount), bonus: m(preview.bonus), total: m(preview.totalCredit) })}</strong></div>
                <div>{t("preview.result", { before: m(preview.walletBefore), after: m(preview.walletAfter) })}</div>
              </>
            )}
            {!preview.allowed && <div className="cv-neg">{preview.message}</div>}
          </div>
        )}
        {preview?.allowed && (
          <>
            <Textarea label={t("booking.note")} value={note} onChange={(e) => setNote(e.target.value)} rows={2} data-testid="refund-note" />
            <Box display="flex" justifyContent="flex-end"><Button variant="primary" onClick={confirm} disabled={busy} data-testid="refund-confirm">{t("orders.confirm")}</Button></Box>
          </>
        )}
        <ErrorList errors={errors} />
        {done && <Notice tone="success" testId="refund-done">{done}</Notice>}
      </Panel>
    </Box>
  );
}
