import { Box, Button, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useClient, useQuery } from "urql";
import { ErrorList, NativeSelect, PageTitle, Panel, RequirePermission, Table } from "../../shared/components";
import { formatAmount, formatDate } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { LedgerExport, LedgerReport } from "../queries";
import { emptyFilter, FilterBar, History, HistoryFilter, toApiFilter } from "./History";

export function LedgerPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("ledger.title")}</PageTitle>
      <RequirePermission permission="VIEW_LEDGER" what={t("ledger.title")}>
        <LedgerReportView />
      </RequirePermission>
    </>
  );
}

function LedgerReportView() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [filter, setFilter] = useState<HistoryFilter>(emptyFilter);
  const [chartUnit, setChartUnit] = useState("EUR");
  const [errors, setErrors] = useState<any[] | null>(null);
  const [version, setVersion] = useState(0);
  const apiFilter = useMemo(() => toApiFilter(filter), [filter]);
  const [{ data }] = useQuery({
    query: LedgerReport,
    variables: { filter: apiFilter, unit: chartUnit, dateFrom: filter.dateFrom || null, dateTo: filter.dateTo || null, _v: version } as any,
    requestPolicy: "network-only",
  });

  const exportCsv = async () => {
    setErrors(null);
    const r = await client.mutation(LedgerExport, { filter: apiFilter }).toPromise();
    const file = r.data?.ledgerExport?.file;
    if (!file) return setErrors(r.data?.ledgerExport?.customerValueErrors ?? [{ message: r.error?.message }]);
    const a = document.createElement("a");
    a.href = file.url;
    a.download = file.filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  const series = (data?.ledgerSeries ?? []).map((p) => ({
    date: formatDate(p.date, locale),
    topups: Number(p.topups),
    spend: Number(p.spend),
    outstanding: Number(p.outstanding),
  }));
  const money = (v: number) => formatAmount(v, chartUnit, locale);
  const liabilities = (data?.ledgerSystemBalances ?? []).filter((b) => b.balance.posted !== "0" && Number(b.balance.posted) !== 0);

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Panel title={t("ledger.filters")} actions={<Button variant="secondary" onClick={exportCsv} data-testid="ledger-export">{t("ledger.export")}</Button>}>
        <FilterBar value={filter} onChange={setFilter} units={["EUR", "CHF", "USD", "PTS"]} />
        <ErrorList errors={errors} />
      </Panel>
      <Panel title={t("ledger.chart")} actions={
        <NativeSelect label={t("filter.unit")} value={chartUnit} onChange={(e) => setChartUnit(e.target.value)} options={["EUR", "CHF", "USD", "PTS"].map((u) => ({ value: u, label: u === "PTS" ? t("unit.points") : u }))} data-testid="chart-unit" />
      } testId="ledger-chart">
        <div style={{ width: "100%", height: 280 }}>
          <ResponsiveContainer>
            <LineChart data={series} margin={{ left: 20, right: 20, top: 10 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="date" fontSize={11} minTickGap={24} />
              <YAxis fontSize={11} tickFormatter={(v) => money(v)} width={90} />
              <Tooltip formatter={(v: any) => money(Number(v))} />
              <Legend />
              <Line type="monotone" dataKey="topups" name={t("ledger.topups")} stroke="#16a34a" dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="spend" name={t("ledger.spend")} stroke="#dc2626" dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="outstanding" name={t("ledger.outstanding")} stroke="#2563eb" strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Panel>
      <div className="cv-grid">
        <Panel title={t("ledger.totals", { count: data?.ledgerReport.count ?? 0 })} testId="ledger-totals">
          <Table head={[t("history.reason"), t("filter.unit"), t("ledger.count"), t("ledger.credit"), t("ledger.debit"), t("ledger.net")]}>
            {(data?.ledgerReport.totals ?? []).map((row, i) => (
              <tr key={i}>
                <td>{t(`reason.${row.reason}`)}</td>
                <td>{row.unit === "PTS" ? t("unit.points") : row.unit}</td>
                <td className="num">{row.count}</td>
                <td className="num">{formatAmount(row.credit, row.unit, locale)}</td>
                <td className="num">{formatAmount(row.debit, row.unit, locale)}</td>
                <td className="num">{formatAmount(row.net, row.unit, locale)}</td>
              </tr>
            ))}
          </Table>
        </Panel>
        <Panel title={t("ledger.system")} testId="ledger-system">
          <Text size={2} color="default2">{t("ledger.systemExplain")}</Text>
          <Table head={[t("ledger.account"), t("filter.unit"), t("ledger.balance")]}>
            {liabilities.map((b) => (
              <tr key={b.account.id}>
                <td>{t(`system.${b.account.systemCode}`)}</td>
                <td>{b.account.unit === "PTS" ? t("unit.points") : b.account.unit}</td>
                <td className="num">{formatAmount(b.balance.posted, b.account.unit, locale)}</td>
              </tr>
            ))}
          </Table>
        </Panel>
      </div>
      <Panel title={t("ledger.transactions")}>
        <History key={JSON.stringify(filter)} filter={filter} version={version} onReversed={() => setVersion((v) => v + 1)} />
      </Panel>
    </Box>
  );
}
