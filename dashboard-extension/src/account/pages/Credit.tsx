import { MouseEvent } from "react";
import { useClient, useQuery } from "urql";
import { Notice, ProgressBar } from "../../shared/components";
import { formatDate, formatMoney } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { lineState, remaining, statementState, usedPercent } from "../credit";
import { MyCreditLines } from "../queries";

type Money = { amount: number; currency: string };

export function CreditPage() {
  const { t } = useI18n();
  const [{ data, error }] = useQuery({ query: MyCreditLines });
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data) return <p className="acc-muted">{t("acc.loading")}</p>;
  if (data.myCreditLines.length === 0) {
    return <section className="acc-card"><h2>{t("acc.credit.title")}</h2><p className="acc-muted" data-testid="credit-none">{t("acc.credit.none")}</p></section>;
  }
  return <>{data.myCreditLines.map((line) => <CreditLine key={line.id} line={line} />)}</>;
}

type Line = {
  id: string; currency: string; status: string; overdue: boolean; dueDays: number; cycleStart: string; cycleEnd: string;
  limit: Money; owed: Money; held: Money; available: Money;
  statements: { id: string; number: number; periodStart: string; periodEnd: string; dueDate: string; status: string; overdue: boolean; amountDue: Money; paidAmount: Money; csvUrl: string; pdfUrl: string }[];
};

function CreditLine({ line }: { line: Line }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const money = (m: Money) => formatMoney(m.amount, m.currency, locale);
  const state = lineState(line);
  // A period that began and ended on the same day reads as that day.
  const period = (start: string, end: string) => (start === end ? start : t("acc.credit.period", { start, end }));
  const late = line.statements.filter((s) => statementState(s) === "overdue");

  // The links are signed for ten minutes: a click asks for fresh ones first, so a page
  // left open for a while still downloads.
  const download = async (event: MouseEvent<HTMLAnchorElement>, id: string, kind: "csv" | "pdf") => {
    event.preventDefault();
    const result = await client.query(MyCreditLines, {}, { requestPolicy: "network-only" }).toPromise();
    const fresh = result.data?.myCreditLines.flatMap((l) => l.statements).find((s) => s.id === id);
    const url = fresh ? (kind === "csv" ? fresh.csvUrl : fresh.pdfUrl) : null;
    if (!url) return;
    const link = document.createElement("a");
    link.href = url;
    link.download = "";
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  return (
    <>
      <section className="acc-card" aria-labelledby={`credit-h-${line.id}`} data-testid={`credit-line-${line.currency}`}>
        <h2 id={`credit-h-${line.id}`}>{t("acc.credit.title")}</h2>
        <p className="acc-muted">{t("acc.credit.intro")}</p>
        {state === "overdue" && (
          <Notice tone="error" testId="credit-overdue">
            {late.length ? t("acc.credit.overdueDetail", { amount: money({ amount: remaining(late[0].amountDue.amount, late[0].paidAmount.amount), currency: line.currency }), date: formatDate(late[0].dueDate, locale) }) : t("acc.credit.overdue")}
          </Notice>
        )}
        {state === "suspended" && <Notice tone="warning" testId="credit-suspended">{t("acc.credit.suspended")}</Notice>}
        {state === "closed" && <Notice tone="info" testId="credit-closed">{t("acc.credit.closed")}</Notice>}
        <div>
          <div className="acc-muted">{t("acc.credit.available")}</div>
          <div className="acc-big" data-testid="credit-available">{money(line.available)}</div>
        </div>
        <ProgressBar value={usedPercent(line.limit.amount, line.available.amount)} label={t("acc.credit.usedShare")} />
        <span className="acc-muted" data-testid="credit-used">
          {t("acc.credit.usedOf", { used: money({ amount: remaining(line.limit.amount, line.available.amount), currency: line.currency }), limit: money(line.limit) })}
        </span>
        <ul className="acc-list" data-testid="credit-figures">
          <li><span>{t("acc.credit.limit")}</span><span className="amount" data-testid="credit-limit">{money(line.limit)}</span></li>
          <li><span>{t("acc.credit.owed")}</span><span className="amount" data-testid="credit-owed">{money(line.owed)}</span></li>
          {line.held.amount > 0 && <li><span>{t("acc.credit.held")}</span><span className="amount" data-testid="credit-held">{money(line.held)}</span></li>}
        </ul>
        {state !== "closed" && (
          <p className="acc-muted" data-testid="credit-cycle">
            {t("acc.credit.cycle", { start: formatDate(line.cycleStart, locale), end: formatDate(line.cycleEnd, locale), days: line.dueDays })}
          </p>
        )}
      </section>
      <section className="acc-card" aria-labelledby={`statements-h-${line.id}`} data-testid="credit-statements">
        <h2 id={`statements-h-${line.id}`}>{t("acc.credit.statements")}</h2>
        {line.statements.length === 0 && <p className="acc-muted">{t("acc.credit.noStatements")}</p>}
        <ul className="acc-list">
          {line.statements.map((s) => {
            const st = statementState(s);
            return (
              <li key={s.id} data-testid="credit-statement" data-state={st} style={{ flexDirection: "column", gap: 6 }}>
                <div style={{ display: "flex", justifyContent: "space-between", gap: 12, flexWrap: "wrap" }}>
                  <strong>{t("acc.credit.statement", { number: s.number })}</strong>
                  <span className={`amount${st === "overdue" ? " neg" : ""}`} data-testid="statement-due-amount">{money(s.amountDue)}</span>
                </div>
                <span className="acc-muted" data-testid="statement-period">{period(formatDate(s.periodStart, locale), formatDate(s.periodEnd, locale))}</span>
                <span data-testid="statement-state" style={st === "overdue" ? { color: "#991b1b", fontWeight: 600 } : undefined}>
                  {st === "paid" ? t("acc.credit.paid")
                    : st === "overdue" ? t("acc.credit.statementOverdue", { date: formatDate(s.dueDate, locale), amount: money({ amount: remaining(s.amountDue.amount, s.paidAmount.amount), currency: s.amountDue.currency }) })
                    : t("acc.credit.due", { date: formatDate(s.dueDate, locale), amount: money({ amount: remaining(s.amountDue.amount, s.paidAmount.amount), currency: s.amountDue.currency }) })}
                </span>
                <div className="acc-row">
                  <a className="acc-btn secondary" href={s.pdfUrl} onClick={(e) => download(e, s.id, "pdf")} aria-label={t("acc.credit.downloadAs", { number: s.number, format: "PDF" })} data-testid="statement-pdf">{t("acc.credit.pdf")}</a>
                  <a className="acc-btn secondary" href={s.csvUrl} onClick={(e) => download(e, s.id, "csv")} aria-label={t("acc.credit.downloadAs", { number: s.number, format: "CSV" })} data-testid="statement-csv">{t("acc.credit.csv")}</a>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}
