import { FormEvent, useMemo, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, Notice } from "../../shared/components";
import { formatDateTime, formatMoney, parseAmount } from "../../shared/format";
import { FormKey } from "../../shared/idempotency";
import { useI18n } from "../../shared/i18n";
import { accountConfig } from "../handover";
import { CheckoutCreate, MyWalletHistory, MyWallets, RedeemGiftCard, TopUpAdd } from "../queries";

const PAGE = 10;
const FILTERS: Record<string, string[] | null> = {
  all: null,
  topups: ["TOPUP", "TOPUP_BONUS", "GIFT_CARD_REDEMPTION", "POINTS_CONVERTED", "REFUND", "RETENTION_BONUS", "CASHBACK", "GOODWILL"],
  payments: ["CHECKOUT_PAYMENT", "POS_PAYMENT"],
};
const PERIODS: Record<string, number | null> = { all: null, d30: 30, d90: 90 };

type Error = { field?: string | null; message?: string | null } | null;

export function WalletPage() {
  const { t, locale } = useI18n();
  const [{ data, error }, refresh] = useQuery({ query: MyWallets });
  const wallets = data?.myWallets ?? [];
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data) return <p className="acc-muted">{t("acc.loading")}</p>;
  const reload = () => refresh({ requestPolicy: "network-only" });
  return (
    <>
      <section className="acc-card" data-testid="wallet-balances" aria-labelledby="wallet-h">
        <h2 id="wallet-h">{t("acc.wallet.title")}</h2>
        {wallets.length === 0 && <p className="acc-muted">{t("acc.wallet.empty")}</p>}
        {wallets.map((w) => (
          <div key={w.currency}>
            <div className="acc-muted">{t("acc.wallet.available")}</div>
            <div className="acc-big" data-testid={`wallet-available-${w.currency}`}>{formatMoney(w.balance.available.amount, w.currency, locale)}</div>
            {w.holds.map((h, i) => (
              <Notice key={i} tone="info" testId="wallet-hold">
                {h.expiresAt
                  ? t(h.reason === "CHECKOUT_PAYMENT" ? "acc.wallet.heldCheckout" : "acc.wallet.heldUntil", { amount: formatMoney(h.amount.amount, w.currency, locale), until: formatDateTime(h.expiresAt, locale) })
                  : t("acc.wallet.held", { amount: formatMoney(h.amount.amount, w.currency, locale) })}
              </Notice>
            ))}
          </div>
        ))}
      </section>
      <TopUp checkoutId={data.me?.checkout?.id ?? null} email={data.me?.email ?? ""} />
      <Redeem onDone={reload} />
      {wallets.map((w) => <History key={w.currency} currency={w.currency} />)}
    </>
  );
}

function History({ currency }: { currency: string }) {
  const { t, locale } = useI18n();
  const [filter, setFilter] = useState("all");
  const [period, setPeriod] = useState("all");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const dateFrom = useMemo(() => (PERIODS[period] ? new Date(Date.now() - PERIODS[period]! * 86400000).toISOString() : null), [period]);
  const [{ data, fetching }] = useQuery({
    query: MyWalletHistory,
    variables: { currency, first: PAGE, after: cursors[cursors.length - 1], reasons: FILTERS[filter] as any, dateFrom },
  });
  const movements = data?.myWallet?.movements;
  const reset = () => setCursors([null]);
  return (
    <section className="acc-card" aria-labelledby={`history-${currency}`} data-testid="wallet-history">
      <h2 id={`history-${currency}`}>{t("acc.wallet.history", { currency })}</h2>
      <div className="acc-row">
        <label className="cv-field"><span>{t("acc.history.kind")}</span>
          <select value={filter} onChange={(e) => { setFilter(e.target.value); reset(); }} data-testid="history-filter">
            {Object.keys(FILTERS).map((k) => <option key={k} value={k}>{t(`acc.history.filter.${k}`)}</option>)}
          </select>
        </label>
        <label className="cv-field"><span>{t("acc.history.period")}</span>
          <select value={period} onChange={(e) => { setPeriod(e.target.value); reset(); }} data-testid="history-period">
            {Object.keys(PERIODS).map((k) => <option key={k} value={k}>{t(`acc.history.period.${k}`)}</option>)}
          </select>
        </label>
      </div>
      {movements && movements.edges.length === 0 && <p className="acc-muted">{t("acc.history.none")}</p>}
      <ul className="acc-list">
        {movements?.edges.map(({ node }) => (
          <li key={node.id} data-testid="history-row">
            <div>
              <div>{node.customerNote || t(`reason.${node.reason}`)}{node.order ? ` · ${t("acc.history.order", { number: node.order.number ?? "" })}` : ""}</div>
              <div className="acc-muted">{formatDateTime(node.date, locale)}</div>
            </div>
            <div className={`amount ${node.amount.amount < 0 ? "neg" : "pos"}`}>{formatMoney(node.amount.amount, currency, locale)}</div>
          </li>
        ))}
      </ul>
      <div className="acc-row">
        <button className="acc-btn secondary" disabled={cursors.length < 2 || fetching} onClick={() => setCursors(cursors.slice(0, -1))} data-testid="history-prev">{t("acc.history.newer")}</button>
        <button className="acc-btn secondary" disabled={!movements?.pageInfo.hasNextPage || fetching} onClick={() => setCursors([...cursors, movements!.pageInfo.endCursor ?? null])} data-testid="history-next">{t("acc.history.older")}</button>
        {movements?.totalCount != null && <span className="acc-muted">{t("acc.history.count", { count: movements.totalCount })}</span>}
      </div>
    </section>
  );
}

function Redeem({ onDone }: { onDone: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const key = useMemo(() => new FormKey("account-giftcard", "cv.account.giftcard"), []);
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<Error[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const clean = code.trim();
    const result = await client.mutation(RedeemGiftCard, { code: clean, key: key.for(clean) }).toPromise();
    setBusy(false);
    const payload = result.data?.walletRedeemGiftCard;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      setDone(null);
      return;
    }
    key.done();
    setErrors([]);
    setCode("");
    setDone(payload.amount ? formatMoney(payload.amount.amount, payload.amount.currency, locale) : "");
    onDone();
  };
  return (
    <form className="acc-card" onSubmit={submit} data-testid="giftcard-form" aria-labelledby="giftcard-h">
      <h2 id="giftcard-h">{t("acc.giftcard.title")}</h2>
      <div className="acc-row">
        <label className="cv-field" style={{ flex: "1 1 220px" }}><span>{t("acc.giftcard.code")}</span>
          <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required data-testid="giftcard-code" />
        </label>
        <button type="submit" className="acc-btn" disabled={busy} data-testid="giftcard-submit">{t("acc.giftcard.submit")}</button>
      </div>
      <ErrorList errors={errors} />
      {done !== null && <Notice tone="success" testId="giftcard-done">{t("acc.giftcard.done", { amount: done })}</Notice>}
    </form>
  );
}

function TopUp({ checkoutId, email }: { checkoutId: string | null; email: string }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [amount, setAmount] = useState("");
  const [errors, setErrors] = useState<Error[]>([]);
  const [pay, setPay] = useState<{ url: string; amount: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAmount(amount, locale);
    if (!parsed || Number(parsed) <= 0) { setErrors([{ field: "amount", message: t("acc.topup.invalid") }]); return; }
    setBusy(true);
    let id = checkoutId;
    if (!id) {
      const created = await client.mutation(CheckoutCreate, { email }).toPromise();
      id = created.data?.checkoutCreate?.checkout?.id ?? null;
      if (!id) { setBusy(false); setErrors(created.data?.checkoutCreate?.checkoutErrors ?? [{ message: created.error?.message ?? t("acc.error") }]); return; }
    }
    const result = await client.mutation(TopUpAdd, { checkoutId: id, amount: parsed }).toPromise();
    setBusy(false);
    const payload = result.data?.checkoutWalletTopUpAdd;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      return;
    }
    setErrors([]);
    const base = accountConfig().checkoutUrl;
    const token = payload.checkout?.token ?? "";
    const url = base ? base.replace("{token}", encodeURIComponent(token)) : "";
    setPay({ url, amount: payload.amount ? formatMoney(payload.amount.amount, payload.amount.currency, locale) : "" });
  };
  return (
    <form className="acc-card" onSubmit={submit} data-testid="topup-form" aria-labelledby="topup-h">
      <h2 id="topup-h">{t("acc.topup.title")}</h2>
      <p className="acc-muted">{t("acc.topup.intro")}</p>
      <div className="acc-row">
        <label className="cv-field" style={{ flex: "1 1 160px" }}><span>{t("acc.topup.amount")}</span>
          <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" required data-testid="topup-amount" />
        </label>
        <button type="submit" className="acc-btn" disabled={busy} data-testid="topup-submit">{t("acc.topup.submit")}</button>
      </div>
      <ErrorList errors={errors} />
      {pay && (
        <Notice tone="success" testId="topup-added">
          {t("acc.topup.added", { amount: pay.amount })}{" "}
          {pay.url ? <a className="acc-btn" href={pay.url} target="_top" data-testid="topup-pay">{t("acc.topup.pay")}</a> : t("acc.topup.noCheckoutUrl")}
        </Notice>
      )}
    </form>
  );
}
