import { FormEvent, useEffect, useMemo, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, Notice } from "../../shared/components";
import { formatDate, formatDateTime, formatMoney, formatPoints, parsePoints } from "../../shared/format";
import { FormKey } from "../../shared/idempotency";
import { useI18n } from "../../shared/i18n";
import { ConversionPreview, ConvertPoints, MyPoints } from "../queries";

type Program = { enabled: boolean; convertPoints: number; convertAmount: { amount: number; currency: string }; convertMinPoints: number };

/** The server's preview of a conversion (same rules and messages as the booking). */
function usePreview(points: number | null) {
  const [debounced, setDebounced] = useState<number | null>(points);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(points), 250);
    return () => clearTimeout(timer);
  }, [points]);
  const [{ data, fetching }] = useQuery({
    query: ConversionPreview,
    variables: { points: String(debounced ?? 0) },
    pause: debounced === null || debounced <= 0,
    requestPolicy: "network-only",
  });
  const stale = debounced !== points || fetching;
  return stale || debounced === null || debounced <= 0 ? null : data?.pointsConversionPreview ?? null;
}

export function PointsPage() {
  const { t, locale } = useI18n();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, error, fetching }, refresh] = useQuery({ query: MyPoints, variables: { after: cursors[cursors.length - 1] } });
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data) return <p className="acc-muted">{t("acc.loading")}</p>;
  const points = data.myPoints;
  const movements = points.movements;
  return (
    <>
      <section className="acc-card" aria-labelledby="points-h" data-testid="points-balance">
        <h2 id="points-h">{t("acc.points.title")}</h2>
        {points.introText && <p data-testid="points-intro">{points.introText}</p>}
        <div className="acc-muted">{t("acc.points.available")}</div>
        <div className="acc-big" data-testid="points-available">{formatPoints(points.balance.available, locale)}</div>
        {points.lots.map((lot) => (
          <Notice key={lot.id} tone="info" testId="points-pending">{t("acc.points.pending", { points: formatPoints(lot.points, locale), date: formatDate(lot.availableAt, locale) })}</Notice>
        ))}
        {points.expiringSoon.map((e, i) => (
          <Notice key={i} tone="warning" testId="points-expiring">{t("acc.points.expiring", { points: formatPoints(e.points, locale), date: formatDate(e.expiresAt, locale) })}</Notice>
        ))}
      </section>
      <Convert program={data.loyaltyProgram} onDone={() => refresh({ requestPolicy: "network-only" })} />
      <section className="acc-card" aria-labelledby="points-history-h" data-testid="points-history">
        <h2 id="points-history-h">{t("acc.points.history")}</h2>
        {movements && movements.edges.length === 0 && <p className="acc-muted">{t("acc.history.none")}</p>}
        <ul className="acc-list">
          {movements?.edges.map(({ node }) => (
            <li key={node.id} data-testid="points-row">
              <div>
                <div>{node.customerNote || t(`reason.${node.reason}`)}{node.order ? ` · ${t("acc.history.order", { number: node.order.number ?? "" })}` : ""}</div>
                <div className="acc-muted">{formatDateTime(node.date, locale)}</div>
              </div>
              <div className={`amount ${node.points < 0 ? "neg" : "pos"}`}>{node.points > 0 ? "+" : ""}{formatPoints(node.points, locale)}</div>
            </li>
          ))}
        </ul>
        <div className="acc-row">
          <button className="acc-btn secondary" disabled={cursors.length < 2 || fetching} onClick={() => setCursors(cursors.slice(0, -1))}>{t("acc.history.newer")}</button>
          <button className="acc-btn secondary" disabled={!movements?.pageInfo.hasNextPage || fetching} onClick={() => setCursors([...cursors, movements!.pageInfo.endCursor ?? null])} data-testid="points-next">{t("acc.history.older")}</button>
        </div>
      </section>
    </>
  );
}

function Convert({ program, onDone }: { program: Program; onDone: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const key = useMemo(() => new FormKey("account-convert", "cv.account.convert"), []);
  const [input, setInput] = useState("");
  const [errors, setErrors] = useState<{ field?: string | null; message?: string | null }[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const points = parsePoints(input, locale);
  const answer = usePreview(points);
  const ok = Boolean(answer?.allowed && answer.points === points);
  let text = t("acc.convert.enter");
  if (!program.enabled || !program.convertPoints) text = t("acc.convert.off");
  else if (input.trim() && points === null) text = t("acc.convert.invalid");
  else if (answer?.allowed && answer.amount) text = t("acc.convert.preview", { points: formatPoints(answer.points ?? 0, locale), amount: formatMoney(answer.amount.amount, answer.amount.currency, locale), left: formatPoints(answer.pointsLeft ?? 0, locale) });
  else if (answer?.problem) {
    // Known refusals in the shopper's language; anything else as the server says it.
    const params = { min: formatPoints(program.convertMinPoints, locale), points: formatPoints(points ?? 0, locale) };
    const key = `acc.convert.problem.${answer.problem.code}`;
    const local = t(key, params);
    text = local !== key ? local : answer.problem.message ?? t("acc.error");
  }
  else if (points !== null && points > 0) text = t("acc.convert.checking");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ok || points === null) return;
    setBusy(true);
    const result = await client.mutation(ConvertPoints, { points: String(points), key: key.for(points) }).toPromise();
    setBusy(false);
    const payload = result.data?.pointsConvertToWallet;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      return;
    }
    key.done();
    setErrors([]);
    setInput("");
    const wallet = payload.wallet;
    setDone(wallet ? formatMoney(wallet.balance.available.amount, wallet.currency, locale) : "");
    onDone();
  };
  return (
    <form className="acc-card" onSubmit={submit} aria-labelledby="convert-h" data-testid="convert-form">
      <h2 id="convert-h">{t("acc.convert.title")}</h2>
      {program.convertPoints > 0 && (
        <p className="acc-muted">{t("acc.convert.rate", { points: formatPoints(program.convertPoints, locale), amount: formatMoney(program.convertAmount.amount, program.convertAmount.currency, locale) })}</p>
      )}
      <div className="acc-row">
        <label className="cv-field" style={{ flex: "1 1 160px" }}><span>{t("acc.convert.points")}</span>
          <input value={input} onChange={(e) => { setInput(e.target.value); setDone(null); }} inputMode="numeric" data-testid="convert-points" />
        </label>
        <button type="submit" className="acc-btn" disabled={busy || !ok} data-testid="convert-submit">{t("acc.convert.submit")}</button>
      </div>
      <p className="acc-muted" aria-live="polite" data-testid="convert-preview" data-ok={ok ? "yes" : "no"}>{text}</p>
      <ErrorList errors={errors} />
      {done !== null && <Notice tone="success" testId="convert-done">{t("acc.convert.done", { balance: done })}</Notice>}
    </form>
  );
}
