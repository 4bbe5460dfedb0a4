import { Box, Button, Checkbox, Text, Textarea } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { useClient, useQuery } from "urql";
import { useAuth } from "../../shared/auth";
import { ErrorList, NativeSelect, Notice, Table } from "../../shared/components";
import { formatAmount, formatDateTime } from "../../shared/format";
import { FormKey } from "../../shared/idempotency";
import { useI18n } from "../../shared/i18n";
import { CustomerHistory, Reverse, ReversalPreview } from "../queries";

export const REASONS = [
  "TOPUP", "TOPUP_BONUS", "GOODWILL", "CORRECTION", "REFUND", "RETENTION_BONUS", "CASHBACK", "B2B_BONUS",
  "GIFT_CARD_REDEMPTION", "GIFT_VOUCHER_SALE", "CHECKOUT_PAYMENT", "POS_PAYMENT", "POINTS_EARNED", "POINTS_ACTION",
  "POINTS_REDEEMED", "POINTS_CONVERTED", "POINTS_EXPIRED", "POINTS_ADJUSTMENT", "CARD_MERGE", "PARTNER_CLEARING",
  "BREAKAGE", "REVERSAL",
];
const PAGE = 20;

export interface HistoryFilter {
  dateFrom: string;
  dateTo: string;
  reason: string;
  unit: string;
}

export function toApiFilter(f: HistoryFilter, customerId?: string) {
  const created: Record<string, string> = {};
  if (f.dateFrom) created.gte = new Date(`${f.dateFrom}T00:00:00`).toISOString();
  if (f.dateTo) created.lte = new Date(`${f.dateTo}T23:59:59.999`).toISOString();
  return {
    ...(customerId ? { customers: [customerId] } : {}),
    ...(Object.keys(created).length ? { created } : {}),
    ...(f.reason ? { reasons: [f.reason as any] } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
  };
}

export function FilterBar({ value, onChange, units }: { value: HistoryFilter; onChange: (f: HistoryFilter) => void; units: string[] }) {
  const { t } = useI18n();
  return (
    <div className="cv-row" data-testid="history-filters">
      <label className="cv-field"><span>{t("filter.from")}</span><input type="date" value={value.dateFrom} onChange={(e) => onChange({ ...value, dateFrom: e.target.value })} data-testid="filter-from" /></label>
      <label className="cv-field"><span>{t("filter.to")}</span><input type="date" value={value.dateTo} onChange={(e) => onChange({ ...value, dateTo: e.target.value })} data-testid="filter-to" /></label>
      <NativeSelect label={t("filter.reason")} value={value.reason} onChange={(e) => onChange({ ...value, reason: e.target.value })} options={[{ value: "", label: t("filter.all") }, ...REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))]} data-testid="filter-reason" />
      <NativeSelect label={t("filter.unit")} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value })} options={[{ value: "", label: t("filter.all") }, ...units.map((u) => ({ value: u, label: u === "PTS" ? t("unit.points") : u }))]} data-testid="filter-unit" />
    </div>
  );
}

export const emptyFilter: HistoryFilter = { dateFrom: "", dateTo: "", reason: "", unit: "" };

/** The movement list; `filter` from outside (the ledger report's) replaces its own bar. */
export function History({ customerId, version, onReversed, filter: outerFilter }: { customerId?: string; version: number; onReversed: () => void; filter?: HistoryFilter }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [ownFilter, setFilter] = useState<HistoryFilter>(emptyFilter);
  const filter = outerFilter ?? ownFilter;
  const [cursor, setCursor] = useState<{ after?: string; before?: string }>({});
  const [reversing, setReversing] = useState<string | null>(null);
  const apiFilter = useMemo(() => toApiFilter(filter, customerId), [filter, customerId]);
  const variables = cursor.before ? { filter: apiFilter, last: PAGE, before: cursor.before } : { filter: apiFilter, first: PAGE, after: cursor.after };
  const [{ data, error }] = useQuery({ query: CustomerHistory, variables: { ...variables, _v: version } as any, requestPolicy: "network-only" });
  const connection = data?.ledgerTransactions;
  const canReverse = can("MANAGE_WALLETS") || can("MANAGE_LOYALTY");

  return (
    <Box display="flex" flexDirection="column" gap={3}>
      {!outerFilter && <FilterBar value={filter} onChange={(f) => { setFilter(f); setCursor({}); }} units={["EUR", "CHF", "USD", "PTS"]} />}
      {error && <Notice tone="error">{error.message}</Notice>}
      <Table head={[t("history.date"), t("history.reason"), ...(customerId ? [] : [t("customer.email")]), t("history.amount"), t("history.balanceAfter"), t("history.note"), t("history.by"), ""]} testId="history-table">
        {connection?.edges.map(({ node }) => {
          const legs = node.entries.filter((e) => e.account.kind !== "SYSTEM");
          const reversed = Boolean(node.reversedBy);
          return (
            <tr key={node.id} className={reversed ? "reversed" : ""} data-testid="history-row" data-reason={node.reason}>
              <td>{formatDateTime(node.createdAt, locale)}</td>
              <td>{t(`reason.${node.reason}`)}{node.order ? ` · #${node.order.number}` : ""}{node.isClawback ? ` · ${t("history.clawback")}` : ""}</td>
              {!customerId && <td>{legs[0]?.account.customerEmail ?? ""}</td>}
              <td className="num">{legs.map((e, i) => <div key={i} className={Number(e.amount) < 0 ? "cv-neg" : "cv-pos"}>{formatAmount(e.amount, e.unit, locale)}</div>)}</td>
              <td className="num">{legs.map((e, i) => <div key={i}>{e.balanceAfter != null ? formatAmount(e.balanceAfter, e.unit, locale) : "–"}</div>)}</td>
              <td>{node.note}{node.customerNote ? <div><Text size={1} color="default2">{t("history.forCustomer")}: {node.customerNote}</Text></div> : null}</td>
              <td>{node.actorLabel || node.actorUser?.email || node.actorApp?.name || t(`actor.${node.actorType}`)}</td>
              <td>
                {reversed ? <span className="cv-badge">{t("history.reversed")}</span> : node.reason === "REVERSAL" ? <span className="cv-badge">{t("history.reversal")}</span> : canReverse ? (
                  <Button size="small" variant="secondary" onClick={() => setReversing(node.id)} data-testid="reverse-open">{t("reverse.open")}</Button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </Table>
      {connection && connection.edges.length === 0 && <Text color="default2">{t("history.empty")}</Text>}
      <Box display="flex" gap={3} alignItems="center" justifyContent="flex-end">
        <Text size={2} color="default2" data-testid="history-count">{t("history.count", { count: connection?.totalCount ?? 0 })}</Text>
        <Button size="small" variant="secondary" disabled={!connection?.pageInfo.hasPreviousPage} onClick={() => setCursor({ before: connection!.pageInfo.startCursor! })}>{t("page.previous")}</Button>
        <Button size="small" variant="secondary" disabled={!connection?.pageInfo.hasNextPage} onClick={() => setCursor({ after: connection!.pageInfo.endCursor! })} data-testid="page-next">{t("page.next")}</Button>
      </Box>
      {reversing && <ReverseDialog id={reversing} onClose={() => setReversing(null)} onDone={() => { setReversing(null); onReversed(); }} />}
    </Box>
  );
}

function ReverseDialog({ id, onClose, onDone }: { id: string; onClose: () => void; onDone: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [{ data, error }] = useQuery({ query: ReversalPreview, variables: { id }, requestPolicy: "network-only" });
  const [note, setNote] = useState("");
  const [clawback, setClawback] = useState(false);
  const [errors, setErrors] = useState<any[] | null>(null);
  const [busy, setBusy] = useState(false);
  const formKey = useMemo(() => new FormKey("console:reverse", `cv.key.reverse.${id}`), [id]);
  const preview = data?.ledgerReversalPreview;

  const confirm = async () => {
    if (!note.trim()) return setErrors([{ field: "note", message: t("reverse.noteRequired") }]);
    setBusy(true);
    const key = formKey.for({ id, note: note.trim(), clawback });
    try {
      const r = await client.mutation(Reverse, { id, note: note.trim(), allowClawback: clawback, idempotencyKey: key }).toPromise();
      const problems = r.error ? [{ message: r.error.message }] : r.data?.ledgerTransactionReverse?.customerValueErrors;
      if (problems?.length) return setErrors(problems);
      formKey.done();
      onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cv-dialog-backdrop" role="dialog" aria-modal="true" aria-label={t("reverse.title")}>
      <div className="cv-dialog" data-testid="reverse-dialog">
        <Text size={7} fontWeight="bold">{t("reverse.title")}</Text>
        {error && <Notice tone="error">{error.message}</Notice>}
        {preview && (
          <>
            <Text>{t("reverse.explain")}</Text>
            <Table head={[t("reverse.account"), t("reverse.change"), t("reverse.before"), t("reverse.after")]} testId="reverse-preview">
              {preview.legs.map((leg, i) => (
                <tr key={i}>
                  <td>{leg.unit === "PTS" ? t("unit.points") : t("unit.wallet", { currency: leg.unit })}</td>
                  <td className="num">{formatAmount(leg.change, leg.unit, locale)}</td>
                  <td className="num">{formatAmount(leg.balanceBefore, leg.unit, locale)}</td>
                  <td className={`num ${leg.clawback ? "cv-neg" : ""}`}>{formatAmount(leg.balanceAfter, leg.unit, locale)}</td>
                </tr>
              ))}
            </Table>
            {preview.needsClawback && (
              <Notice tone="warning" testId="clawback-warning">
                {t("reverse.clawbackWarning")}
                <Box marginTop={2}><Checkbox checked={clawback} onCheckedChange={(v) => setClawback(v === true)} data-testid="allow-clawback">{t("reverse.allowClawback")}</Checkbox></Box>
              </Notice>
            )}
            {!preview.reversible && <Notice tone="error" testId="not-reversible">{preview.message}</Notice>}
          </>
        )}
        <Textarea label={t("reverse.note")} value={note} onChange={(e) => setNote(e.target.value)} rows={2} data-testid="reverse-note" />
        <ErrorList errors={errors} />
        <Box display="flex" gap={3} justifyContent="flex-end">
          <Button variant="secondary" onClick={onClose}>{t("cancel")}</Button>
          <Button variant="error" onClick={confirm} disabled={busy || !preview?.reversible || (preview.needsClawback && !clawback)} data-testid="reverse-confirm">{t("reverse.confirm")}</Button>
        </Box>
      </div>
    </div>
  );
}

