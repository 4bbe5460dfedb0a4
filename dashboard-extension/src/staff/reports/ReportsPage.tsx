import { Box, Button, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useClient, useQuery } from "urql";
import { ErrorList, NativeSelect, PageTitle, Panel, RequirePermission, Table } from "../../shared/components";
import { formatAmount, formatDate, formatMoney, formatPoints, parseAmount } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { ValueReportExport, ValueReports } from "./queries";

const UNITS = ["EUR", "CHF", "USD", "PTS"];
type Period = "DAY" | "WEEK" | "MONTH";
type Report = "SUMMARY" | "LIABILITY" | "BREAKAGE" | "EXPIRY_FORECAST" | "FLOW";

interface Filter {
  dateFrom: string;
  dateTo: string;
  unit: string;
  amountMin: string;
  amountMax: string;
}

export function ReportsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("reports.title")}</PageTitle>
      <RequirePermission permission="VIEW_LEDGER" what={t("reports.title")}>
        <ReportsView />
      </RequirePermission>
    </>
  );
}

/** The API filter of the summary; amounts are parsed the way the locale writes them. */
export function toReportFilter(f: Filter, locale: "en" | "de") {
  const min = f.amountMin ? parseAmount(f.amountMin, locale, 3) : null;
  const max = f.amountMax ? parseAmount(f.amountMax, locale, 3) : null;
  return {
    dateFrom: f.dateFrom || null,
    dateTo: f.dateTo || null,
    unit: f.unit || null,
    amount: min || max ? { gte: min, lte: max } : null,
  };
}

function ReportsView() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [filter, setFilter] = useState<Filter>({ dateFrom: "", dateTo: "", unit: "", amountMin: "", amountMax: "" });
  const [period, setPeriod] = useState<Period>("DAY");
  const [errors, setErrors] = useState<any[] | null>(null);
  const apiFilter = useMemo(() => toReportFilter(filter, locale), [filter, locale]);
  const flowUnit = filter.unit || "EUR";
  const [{ data, error }] = useQuery({
    query: ValueReports,
    variables: { filter: apiFilter, flowUnit, dateFrom: filter.dateFrom || null, dateTo: filter.dateTo || null, period },
    requestPolicy: "network-only",
  });

  const exportCsv = async (report: Report) => {
    setErrors(null);
    const r = await client
      .mutation(ValueReportExport, { report, filter: { ...apiFilter, unit: report === "FLOW" ? flowUnit : apiFilter.unit }, period })
      .toPromise();
    const file = r.data?.valueReportExport?.file;
    if (!file) return setErrors(r.data?.valueReportExport?.customerValueErrors ?? [{ message: r.error?.message }]);
    const a = document.createElement("a");
    a.href = file.url;
    a.download = file.filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  const exportButton = (report: Report) => (
    <Button variant="secondary" size="small" onClick={() => exportCsv(report)} data-testid={`export-${report.toLowerCase()}`}>
      {t("reports.export")}
    </Button>
  );
  const unitLabel = (unit: string) => (unit === "PTS" ? t("unit.points") : unit);
  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }));
  const flow = (data?.valueFlow ?? []).map((p) => ({
    period: formatDate(p.periodStart, locale),
    topups: Number(p.topups),
    spend: Number(p.spend),
  }));
  const points = data?.valueLiability.points;

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Panel title={t("reports.filters")}>
        <Box display="flex" gap={4} flexWrap="wrap" alignItems="flex-end">
          <label className="cv-field"><span>{t("reports.dateFrom")}</span>
            <input type="date" value={filter.dateFrom} onChange={(e) => set({ dateFrom: e.target.value })} data-testid="reports-from" /></label>
          <label className="cv-field"><span>{t("reports.dateTo")}</span>
            <input type="date" value={filter.dateTo} onChange={(e) => set({ dateTo: e.target.value })} data-testid="reports-to" /></label>
          <NativeSelect label={t("filter.unit")} value={filter.unit} onChange={(e) => set({ unit: e.target.value })}
            options={[{ value: "", label: t("reports.allUnits") }, ...UNITS.map((u) => ({ value: u, label: unitLabel(u) }))]} data-testid="reports-unit" />
          <label className="cv-field"><span>{t("reports.amountMin")}</span>
            <input value={filter.amountMin} onChange={(e) => set({ amountMin: e.target.value })} inputMode="decimal" /></label>
          <label className="cv-field"><span>{t("reports.amountMax")}</span>
            <input value={filter.amountMax} onChange={(e) => set({ amountMax: e.target.value })} inputMode="decimal" /></label>
        </Box>
        <ErrorList errors={errors ?? (error ? [{ message: error.message }] : null)} />
      </Panel>

      <Panel title={t("reports.summary")} actions={exportButton("SUMMARY")} testId="reports-summary">
        <Table head={[t("filter.unit"), t("history.reason"), t("reports.count"), t("reports.credit"), t("reports.debit"), t("reports.net"), t("reports.average")]}>
          {(data?.valueReport ?? []).flatMap((u) => [
            ...u.byReason.map((r) => (
              <tr key={`${u.unit}-${r.reason}`}>
                <td>{unitLabel(u.unit)}</td>
                <td>{t(`reason.${r.reason}`)}</td>
                <td className="num">{r.count}</td>
                <td className="num">{formatAmount(r.credit, u.unit, locale)}</td>
                <td className="num">{formatAmount(r.debit, u.unit, locale)}</td>
                <td className="num">{formatAmount(r.net, u.unit, locale)}</td>
                <td className="num">{formatAmount(r.average, u.unit, locale)}</td>
              </tr>
            )),
            <tr key={`${u.unit}-total`} style={{ fontWeight: 600 }}>
              <td>{unitLabel(u.unit)}</td>
              <td>{t("reports.total")}</td>
              <td className="num">{u.count}</td>
              <td className="num">{formatAmount(u.credit, u.unit, locale)}</td>
              <td className="num">{formatAmount(u.debit, u.unit, locale)}</td>
              <td className="num">{formatAmount(u.net, u.unit, locale)}</td>
              <td className="num">{formatAmount(u.average, u.unit, locale)}</td>
            </tr>,
          ])}
        </Table>
      </Panel>

      <div className="cv-grid">
        <Panel title={t("reports.liability")} actions={exportButton("LIABILITY")} testId="reports-liability">
          <Table head={[t("filter.unit"), t("reports.outstanding"), t("reports.held"), t("reports.accounts")]}>
            {(data?.valueLiability.wallets ?? []).map((w) => (
              <tr key={w.currency}>
                <td>{w.currency}</td>
                <td className="num">{formatMoney(w.outstanding, w.currency, locale)}</td>
                <td className="num">{formatMoney(w.held, w.currency, locale)}</td>
                <td className="num">{w.accounts}</td>
              </tr>
            ))}
          </Table>
          {points && (
            <Text size={3} data-testid="reports-points-value">
              {t("reports.pointsValue", {
                points: formatPoints(points.outstanding, locale),
                value: formatMoney(points.value.amount, points.value.currency, locale),
                rate: `${formatPoints(points.ratePoints, locale)} = ${formatMoney(points.rateAmount, points.value.currency, locale)}`,
              })}
            </Text>
          )}
        </Panel>
        <Panel title={t("reports.forecast")} actions={exportButton("EXPIRY_FORECAST")} testId="reports-forecast">
          <Table head={["", t("unit.points"), t("reports.lots"), t("reports.customers"), t("reports.value")]}>
            {(data?.pointsExpiryForecast ?? []).map((f) => (
              <tr key={f.days}>
                <td>{t("reports.withinDays", { days: f.days })}</td>
                <td className="num">{formatPoints(f.points, locale)}</td>
                <td className="num">{f.lots}</td>
                <td className="num">{f.customers}</td>
                <td className="num">{formatMoney(f.value.amount, f.value.currency, locale)}</td>
              </tr>
            ))}
          </Table>
        </Panel>
      </div>

      <Panel title={`${t("reports.flow")} (${unitLabel(flowUnit)})`} testId="reports-flow" actions={
        <Box display="flex" gap={3} alignItems="flex-end">
          <NativeSelect label={t("reports.period")} value={period} onChange={(e) => setPeriod(e.target.value as Period)}
            options={(["DAY", "WEEK", "MONTH"] as Period[]).map((p) => ({ value: p, label: t(`reports.period.${p.toLowerCase()}`) }))} data-testid="reports-period" />
          {exportButton("FLOW")}
        </Box>
      }>
        <div style={{ width: "100%", height: 260 }}>
          <ResponsiveContainer>
            <BarChart data={flow} margin={{ left: 20, right: 20, top: 10 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="period" fontSize={11} minTickGap={24} />
              <YAxis fontSize={11} tickFormatter={(v) => formatAmount(v, flowUnit, locale)} width={90} />
              <Tooltip formatter={(v: any) => formatAmount(Number(v), flowUnit, locale)} />
              <Legend />
              <Bar dataKey="topups" name={t("reports.topups")} fill="#16a34a" isAnimationActive={false} />
              <Bar dataKey="spend" name={t("reports.spend")} fill="#dc2626" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Panel>

      <Panel title={t("reports.breakage")} actions={exportButton("BREAKAGE")} testId="reports-breakage">
        {(data?.valueBreakage ?? []).length === 0 ? (
          <Text size={2} color="default2">{t("reports.empty")}</Text>
        ) : (
          <Table head={[t("reports.period.month"), t("filter.unit"), t("reports.debit"), t("reports.count"), t("reports.value")]}>
            {(data?.valueBreakage ?? []).map((b) => (
              <tr key={`${b.periodStart}-${b.unit}`}>
                <td>{formatDate(b.periodStart, locale)}</td>
                <td>{unitLabel(b.unit)}</td>
                <td className="num">{formatAmount(b.expired, b.unit, locale)}</td>
                <td className="num">{b.count}</td>
                <td className="num">{formatAmount(b.value, b.unit === "PTS" ? points?.value.currency ?? "EUR" : b.unit, locale)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Panel>
    </Box>
  );
}
