import { Box, Button, Text } from "@saleor/macaw-ui";
import { useCallback, useState } from "react";
import { useClient, useQuery } from "urql";
import { useAuth } from "../../shared/auth";
import { Notice, PageTitle, Panel, RequirePermission } from "../../shared/components";
import { formatDate, formatMoney, formatPoints } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { CustomerOverview, PointsAdd, PointsPreview, PointsSubtract, WalletCredit, WalletDebit, WalletPreview } from "../queries";
import { BookingForm } from "./BookingForm";
import { CustomerCards } from "./CustomerCards";
import { History } from "./History";

const WALLET_REASONS = { credit: ["GOODWILL", "CORRECTION", "CASHBACK", "B2B_BONUS", "REFUND", "TOPUP"], debit: ["CORRECTION", "POS_PAYMENT"] };

export function CustomerPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const client = useClient();
  const [version, setVersion] = useState(0);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CustomerOverview,
    variables: {
      id,
      wallets: can("MANAGE_WALLETS") || can("VIEW_LEDGER"),
      points: can("MANAGE_LOYALTY") || can("VIEW_LEDGER"),
      cards: can("MANAGE_CARDS"),
    },
    requestPolicy: "network-only",
  });
  const reload = useCallback(() => {
    refetch({ requestPolicy: "network-only" });
    setVersion((v) => v + 1);
  }, [refetch]);

  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data && fetching) return <Text>{t("loading")}</Text>;
  const customer = data?.customerValueCustomer;
  if (!customer) return <Notice tone="error">{t("customer.notFound")}</Notice>;
  const wallets = data?.customerWallets ?? [];
  const points = data?.customerPoints;
  const badges = data?.customerBadges;
  const currency = wallets[0]?.currency ?? "EUR";

  return (
    <Box display="flex" flexDirection="column" gap={5} data-testid="customer-page">
      <PageTitle actions={<a href="#/customers">{t("customer.back")}</a>}>
        <span data-testid="customer-name">{[customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email}</span>
      </PageTitle>
      <Text color="default2">{customer.email} · {t("customer.since", { date: formatDate(customer.dateJoined, locale) })}</Text>

      <div className="cv-grid">
        <Panel title={t("customer.wallets")} testId="wallets">
          <RequirePermission permission={["MANAGE_WALLETS", "VIEW_LEDGER"]} what={t("customer.wallets")}>
            {wallets.map((w) => (
              <Box key={w.currency} display="flex" gap={6} data-testid={`wallet-${w.currency}`}>
                <div className="cv-stat"><span className="label">{t("balance.available")}</span><span className="value" data-testid={`wallet-available-${w.currency}`}>{formatMoney(w.balance.available.amount, w.currency, locale)}</span></div>
                <div className="cv-stat"><span className="label">{t("balance.posted")}</span><span className="value">{formatMoney(w.balance.posted.amount, w.currency, locale)}</span></div>
                <div className="cv-stat"><span className="label">{t("balance.held")}</span><span className="value">{formatMoney(w.balance.held.amount, w.currency, locale)}</span></div>
              </Box>
            ))}
          </RequirePermission>
        </Panel>
        <Panel title={t("customer.points")} testId="points">
          <RequirePermission permission={["MANAGE_LOYALTY", "VIEW_LEDGER"]} what={t("customer.points")}>
            {points && (
              <>
                <Box display="flex" gap={6}>
                  <div className="cv-stat"><span className="label">{t("balance.available")}</span><span className="value" data-testid="points-available">{formatPoints(points.balance.available, locale)}</span></div>
                  <div className="cv-stat"><span className="label">{t("balance.pending")}</span><span className="value">{formatPoints(points.balance.pending, locale)}</span></div>
                </Box>
                {points.expiringSoon.length > 0 ? (
                  <Text size={2} color="default2">
                    {t("points.expiring")}{" "}
                    {points.expiringSoon.map((e) => `${formatPoints(e.points, locale)} (${formatDate(e.expiresAt, locale)})`).join(", ")}
                  </Text>
                ) : (
                  <Text size={2} color="default2">{t("points.noneExpiring")}</Text>
                )}
                {badges && (
                  <Text size={2} color="default2" data-testid="tier">
                    {badges.tier.current
                      ? t("points.tier", { tier: badges.tier.current.badge.localizedTitle })
                      : t("points.noTier")}
                    {badges.tier.nextTier && badges.tier.pointsToNextTier != null
                      ? " · " + t("points.toNextTier", { points: formatPoints(badges.tier.pointsToNextTier, locale), tier: badges.tier.nextTier.localizedTitle })
                      : ""}
                    {badges.badges.some((b) => b.isHeld && !b.badge.isTier)
                      ? " · " + t("points.badges", { badges: badges.badges.filter((b) => b.isHeld && !b.badge.isTier).map((b) => b.badge.localizedTitle).join(", ") })
                      : ""}
                  </Text>
                )}
              </>
            )}
          </RequirePermission>
        </Panel>
      </div>

      <div className="cv-grid">
        <Panel title={t("booking.walletTitle")}>
          <RequirePermission permission="MANAGE_WALLETS" what={t("booking.walletTitle")}>
            <BookingForm
              kind="wallet"
              unit={currency}
              customerId={id}
              reasons={WALLET_REASONS}
              preview={async (signed) => {
                const r = await client.query(WalletPreview, { customerId: id, amount: signed, currency }, { requestPolicy: "network-only" }).toPromise();
                if (r.error) throw new Error(r.error.graphQLErrors[0]?.message ?? r.error.message);
                const p = r.data!.walletBookingPreview!;
                return { allowed: p.allowed, before: String(p.balance.available.amount), after: String(p.resultingBalance.available.amount) };
              }}
              book={async (v, key) => {
                const input = { customerId: id, currency, amount: v.amount, reason: v.reason as any, note: v.note, customerNote: v.customerNote || null, idempotencyKey: key };
                const r = v.direction === "credit"
                  ? await client.mutation(WalletCredit, { input }).toPromise()
                  : await client.mutation(WalletDebit, { input }).toPromise();
                if (r.error) throw new Error(r.error.message);
                const payload = (r.data as any)?.walletCredit ?? (r.data as any)?.walletDebit;
                return payload?.customerValueErrors ?? null;
              }}
              onBooked={reload}
            />
          </RequirePermission>
        </Panel>
        <Panel title={t("booking.pointsTitle")}>
          <RequirePermission permission="MANAGE_LOYALTY" what={t("booking.pointsTitle")}>
            <BookingForm
              kind="points"
              unit="PTS"
              customerId={id}
              reasons={{ credit: ["POINTS_ADJUSTMENT"], debit: ["POINTS_ADJUSTMENT"] }}
              preview={async (signed) => {
                const r = await client.query(PointsPreview, { customerId: id, points: Number(signed) }, { requestPolicy: "network-only" }).toPromise();
                if (r.error) throw new Error(r.error.graphQLErrors[0]?.message ?? r.error.message);
                const p = r.data!.loyaltyPointsPreview!;
                return { allowed: p.allowed, before: String(p.balance.available), after: String(p.resultingBalance.available) };
              }}
              book={async (v, key) => {
                const input = { customerId: id, points: v.amount, note: v.note, customerNote: v.customerNote || null, idempotencyKey: key };
                const r = v.direction === "credit"
                  ? await client.mutation(PointsAdd, { input }).toPromise()
                  : await client.mutation(PointsSubtract, { input }).toPromise();
                if (r.error) throw new Error(r.error.message);
                const payload = (r.data as any)?.loyaltyPointsAdd ?? (r.data as any)?.loyaltyPointsSubtract;
                return payload?.customerValueErrors ?? null;
              }}
              onBooked={reload}
            />
          </RequirePermission>
        </Panel>
      </div>

      <Panel title={t("customer.cards")} testId="cards">
        <RequirePermission permission="MANAGE_CARDS" what={t("customer.cards")}>
          <CustomerCards customerId={id} cards={data?.customerCards ?? []} onChange={reload} />
        </RequirePermission>
      </Panel>

      <Panel title={t("history.title")} testId="history">
        <RequirePermission permission="VIEW_LEDGER" what={t("history.title")}>
          <History customerId={id} version={version} onReversed={reload} />
        </RequirePermission>
      </Panel>
      <Button variant="tertiary" size="small" onClick={reload}>{t("refresh")}</Button>
    </Box>
  );
}
