import { FormEvent, useEffect, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, Notice } from "../../shared/components";
import { formatDate, formatPoints } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { CardDownload, CardLink, CardRegister, MyCard, MyPartnerPlans } from "../queries";

type Err = { field?: string | null; message?: string | null; code?: string | null };

/** "ABCD EFGH JKLM NPQ7": groups of four, as printed on the plastic card. */
export const groupCode = (code: string) => code.replace(/[\s-]/g, "").replace(/(.{4})(?=.)/g, "$1 ");

export function CardPage() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [{ data, error }, refresh] = useQuery({ query: MyCard });
  const [qrUrl, setQrUrl] = useState<string | null>(null);
  const card = data?.myDigitalCard;

  // The QR image is the server's own rendering (segno, the same as the PDF): a signed,
  // short-lived URL for this shopper's card only.
  useEffect(() => {
    if (!card) return;
    client.mutation(CardDownload, { id: card.id, format: "SVG" }).toPromise().then((r) => setQrUrl(r.data?.cardDownload?.file?.url ?? null));
  }, [client, card?.id]);

  const download = async (format: "PDF" | "PNG") => {
    if (!card) return;
    const result = await client.mutation(CardDownload, { id: card.id, format }).toPromise();
    const file = result.data?.cardDownload?.file;
    if (!file) return;
    const link = document.createElement("a");
    link.href = file.url;
    link.download = file.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data || !card) return <p className="acc-muted">{t("acc.loading")}</p>;
  const reload = () => refresh({ requestPolicy: "network-only" });
  return (
    <>
      <section className="acc-card" aria-labelledby="card-h" data-testid="digital-card">
        <h2 id="card-h">{t("acc.card.title")}</h2>
        <p className="acc-muted">{t("acc.card.intro")}</p>
        <div className="acc-qr">{qrUrl && <img src={qrUrl} alt={t("acc.card.qrAlt")} data-testid="card-qr" />}</div>
        <div className="acc-code" data-testid="card-code">{groupCode(card.code ?? card.maskedCode)}</div>
        <div className="acc-muted" style={{ textAlign: "center" }} data-testid="card-expiry">
          {card.expiresAt ? t("acc.card.expires", { date: formatDate(card.expiresAt, locale) }) : t("acc.card.noExpiry")}
        </div>
        <div className="acc-row" style={{ justifyContent: "center" }}>
          <button className="acc-btn" onClick={() => download("PDF")} data-testid="card-download-pdf">{t("acc.card.pdf")}</button>
          <button className="acc-btn secondary" onClick={() => download("PNG")} data-testid="card-download-png">{t("acc.card.image")}</button>
        </div>
      </section>
      <PartnerPlans />
      <Register onDone={reload} />
      <Link onDone={reload} />
      <section className="acc-card" aria-labelledby="cards-h">
        <h2 id="cards-h">{t("acc.card.mine")}</h2>
        <ul className="acc-list" data-testid="my-cards">
          {data.myCards.map((c) => (
            <li key={c.id}>
              <span>{c.maskedCode} · {t(`acc.card.kind.${c.kind}`)}</span>
              <span className="acc-muted">{t(`acc.card.state.${c.state}`)}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Register({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const client = useClient();
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<Err[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await client.mutation(CardRegister, { code }).toPromise();
    const payload = result.data?.cardRegister;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setDone(null);
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      return;
    }
    setErrors([]);
    setCode("");
    setDone(payload.card?.maskedCode ?? "");
    onDone();
  };
  const typo = errors.some((e) => e.code === "CARD_CODE_TYPO");
  return (
    <form className="acc-card" onSubmit={submit} aria-labelledby="register-h" data-testid="register-form">
      <h2 id="register-h">{t("acc.register.title")}</h2>
      <div className="acc-row">
        <label className="cv-field" style={{ flex: "1 1 240px" }}><span>{t("acc.register.code")}</span>
          <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" autoCapitalize="characters" spellCheck={false} required data-testid="register-code" />
        </label>
        <button type="submit" className="acc-btn" data-testid="register-submit">{t("acc.register.submit")}</button>
      </div>
      {typo ? <Notice tone="error" testId="register-typo">{t("acc.register.typo")}</Notice> : <ErrorList errors={errors} />}
      {done !== null && <Notice tone="success" testId="register-done">{t("acc.register.done", { card: done })}</Notice>}
    </form>
  );
}

function Link({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const client = useClient();
  const [chip, setChip] = useState("");
  const [errors, setErrors] = useState<Err[]>([]);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await client.mutation(CardLink, { chipUid: chip.trim() }).toPromise();
    const payload = result.data?.cardLink;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      return;
    }
    setErrors([]);
    setDone(true);
    onDone();
  };
  return (
    <form className="acc-card" onSubmit={submit} aria-labelledby="link-h" data-testid="link-form">
      <h2 id="link-h">{t("acc.link.title")}</h2>
      <p className="acc-muted">{t("acc.link.intro")}</p>
      <div className="acc-row">
        <label className="cv-field" style={{ flex: "1 1 240px" }}><span>{t("acc.link.chip")}</span>
          <input value={chip} onChange={(e) => setChip(e.target.value)} autoComplete="off" required data-testid="link-chip" />
        </label>
        <button type="submit" className="acc-btn" data-testid="link-submit">{t("acc.link.submit")}</button>
      </div>
      <ErrorList errors={errors} />
      {done && <Notice tone="success" testId="link-done">{t("acc.link.done")}</Notice>}
    </form>
  );
}

/** The merchants whose card plans the shopper joined (issue 12): the points collected at
 * each and the merchant's rewards with what is still missing. Hidden without a plan. */
function PartnerPlans() {
  const { t, locale } = useI18n();
  const [{ data, error }] = useQuery({ query: MyPartnerPlans });
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data || data.myPartnerPlans.length === 0) return null;
  return (
    <section className="acc-card" aria-labelledby="plans-h" data-testid="partner-plans">
      <h2 id="plans-h">{t("acc.plans.title")}</h2>
      <p className="acc-muted">{t("acc.plans.intro")}</p>
      {data.myPartnerPlans.map((plan) => (
        <div key={plan.merchantName} className="acc-plan" data-testid="partner-plan">
          <div className="acc-plan-head">
            <strong data-testid="plan-merchant">{plan.merchantName}</strong>
            <span className="amount" style={{ fontWeight: 700, fontSize: 20 }} data-testid="plan-points">{formatPoints(plan.points, locale)}</span>
          </div>
          {plan.description && <span className="acc-muted">{plan.description}</span>}
          <span className="acc-muted">{t("acc.plans.since", { date: formatDate(plan.joinedAt, locale) })}</span>
          {plan.rewards.length > 0 && (
            <ul className="acc-list" aria-label={t("acc.plans.rewards", { merchant: plan.merchantName })}>
              {plan.rewards.map((r) => (
                <li key={r.id} data-testid="plan-reward">
                  <span>{r.name} <span className="acc-muted acc-nowrap">· {formatPoints(r.points, locale)}</span></span>
                  <span className={`acc-nowrap ${(r.pointsMissing ?? 0) > 0 ? "acc-muted" : "amount pos"}`} style={{ marginLeft: "auto" }} data-testid="plan-reward-state">
                    {(r.pointsMissing ?? 0) > 0 ? t("acc.rewards.missing", { points: formatPoints(r.pointsMissing ?? 0, locale) }) : t("acc.plans.ready", { merchant: plan.merchantName })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
