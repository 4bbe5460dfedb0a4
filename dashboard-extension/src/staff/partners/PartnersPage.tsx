import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { useClient, useQuery } from "urql";
import { useAuth } from "../../shared/auth";
import { ErrorList, NativeSelect, Notice, PageTitle, Panel, RequirePermission, Table } from "../../shared/components";
import { formatAmount, formatDate, formatDateTime, formatMoney, formatPoints } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { MerchantDesk } from "./MerchantDesk";
import { PartnerMerchant, PartnerMerchants, PartnerPayout, PartnerSettle } from "./queries";

/** The partner network: the operator (MANAGE_PARTNERS) picks any merchant; a merchant's
 * staff see only their own (the API answers nothing else). */
export function PartnersPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("partners.title")}</PageTitle>
      <RequirePermission permission={["MANAGE_PARTNERS", "USE_POS"]} what={t("partners.title")}>
        <MerchantPicker />
      </RequirePermission>
    </>
  );
}

function MerchantPicker() {
  const { t } = useI18n();
  const [{ data, fetching }] = useQuery({ query: PartnerMerchants });
  const merchants = data?.merchants ?? [];
  const [id, setId] = useState<string>("");
  useEffect(() => {
    if (!id && merchants.length) setId(merchants[0].id);
  }, [id, merchants]);
  if (fetching) return null;
  if (!merchants.length) return <Notice tone="info" testId="partners-none">{t("partners.none")}</Notice>;
  return (
    <Box display="flex" flexDirection="column" gap={5}>
      {merchants.length > 1 && (
        <Box __maxWidth="360px">
        <NativeSelect
          label={t("partners.merchant")}
          value={id}
          onChange={(e) => setId(e.target.value)}
          options={merchants.map((m) => ({ value: m.id, label: m.name }))}
          data-testid="partners-merchant"
        />
        </Box>
      )}
      {id && <MerchantView id={id} />}
    </Box>
  );
}

function MerchantView({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const client = useClient();
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<any[] | null>(null);
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => { setErrors(null); setSettled(null); }, [id]);
  const [{ data }] = useQuery({ query: PartnerMerchant, variables: { id, _v: version } as any, requestPolicy: "network-only" });
  const merchant = data?.merchant;
  if (!merchant) return null;
  const operator = can("MANAGE_PARTNERS");
  const money = (m: { amount: number; currency: string }) => formatAmount(m.amount, m.currency, locale);
  const count = (n: number) => new Intl.NumberFormat(locale === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 2 }).format(n);
  const num = (label: string) => <span style={{ display: "block", textAlign: "right" }}>{label}</span>;
  const link = { color: "#2563eb", textDecoration: "underline" };

  const settle = async () => {
    setErrors(null);
    setSettled(null);
    const r = await client.mutation(PartnerSettle, { merchantId: id }).toPromise();
    const errs = r.data?.merchantSettle?.customerValueErrors ?? [{ message: r.error?.message }];
    if (errs.length) setErrors(errs);
    else setSettled(t("partners.settled", { numbers: (r.data?.merchantSettle?.statements ?? []).map((x) => x.number).join(", ") }));
    setVersion((v) => v + 1);
  };
  const payout = async (statementId: string) => {
    setErrors(null);
    setSettled(null);
    const r = await client.mutation(PartnerPayout, { statementId, reference: "" }).toPromise();
    const errs = r.data?.merchantStatementPayoutRecord?.customerValueErrors ?? [{ message: r.error?.message }];
    if (errs.length) setErrors(errs);
    setVersion((v) => v + 1);
  };

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Panel
        title={merchant.name}
        testId="partners-summary"
        actions={operator ? <Button variant="secondary" onClick={settle} data-testid="partners-settle">{t("partners.settle")}</Button> : undefined}
      >
        <Text size={3}>
          {t(`partners.status.${merchant.status}`)} · {t("partners.commission", { percent: count(Number(merchant.commissionPercent)) })} ·{" "}
          {t("partners.pointValue", { value: formatMoney(merchant.pointValue, merchant.currency, locale) })}
        </Text>
        <Text size={3} data-testid="partners-balance">
          {t(merchant.openBookings === 1 ? "partners.balance.one" : "partners.balance", { amount: money(merchant.clearingBalance), count: merchant.openBookings })}
        </Text>
        <Text size={2} color="default2">
          {t("partners.tills")}: {merchant.tills.map((x) => x.name).join(", ") || "–"} · {t("partners.staff")}: {merchant.staff.map((x) => x.email).join(", ") || "–"}
        </Text>
        <ErrorList errors={errors} />
        {settled && <Notice tone="success" testId="partners-settled">{settled}</Notice>}
      </Panel>
      {!operator && <MerchantDesk currency={merchant.currency} onBooked={() => setVersion((v) => v + 1)} />}
      <Panel title={t("partners.statements")} testId="partners-statements">
        <Table head={[t("partners.number"), t("partners.periodEnd"), num(t("partners.net")), num(t("partners.commissionTotal")), t("partners.paid"), ""]}>
          {(data?.merchantStatements ?? []).map((s) => (
            <tr key={s.id} data-testid="statement-row">
              <td>{s.number}</td>
              <td>{formatDateTime(s.periodEnd, locale)}</td>
              <td className="num">{money(s.net)}</td>
              <td className="num">{money(s.commission)}</td>
              <td>{s.paidAt ? formatDate(s.paidAt, locale) : operator ? <Button size="small" variant="secondary" onClick={() => payout(s.id)}>{t("partners.recordPayout")}</Button> : "–"}</td>
              <td><a href={s.csvUrl} style={link} data-testid="statement-csv">CSV</a> · <a href={s.pdfUrl} style={link} data-testid="statement-pdf">PDF</a></td>
            </tr>
          ))}
        </Table>
      </Panel>
      <Panel title={t("partners.bookings")} testId="partners-bookings">
        <Table head={[t("partners.date"), t("partners.kind"), t("partners.receipt"), t("partners.customer"), num(t("partners.gross")), num(t("partners.commissionTotal")), num(t("partners.net")), t("partners.number")]}>
          {(data?.merchantBookings ?? []).map((b) => (
            <tr key={b.transactionId}>
              <td>{formatDate(b.createdAt, locale)}</td>
              <td>{t(`partners.kind.${b.kind}`)}</td>
              <td>{b.receipt}</td>
              <td>{b.customerName ?? "–"}</td>
              <td className="num">{money(b.gross)}</td>
              <td className="num">{money(b.commission)}</td>
              <td className="num">{money(b.net)}</td>
              <td>{b.statementNumber ?? t("partners.open")}</td>
            </tr>
          ))}
        </Table>
      </Panel>
      <Panel title={t("partners.customers")} testId="partners-customers">
        <Table head={[t("partners.customer"), num(t("partners.bookingCount")), num(t("partners.planPoints")), num(t("partners.totalPoints"))]}>
          {(data?.merchantCustomers ?? []).map((c, i) => (
            <tr key={c.customerId ?? i}>
              <td>{c.name || c.email || "–"}</td>
              <td className="num">{count(c.bookings)}</td>
              <td className="num">{formatPoints(c.planPoints, locale)}</td>
              <td className="num">{formatPoints(c.points, locale)}</td>
            </tr>
          ))}
        </Table>
      </Panel>
    </Box>
  );
}
