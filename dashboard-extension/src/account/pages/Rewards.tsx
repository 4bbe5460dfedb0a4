import { useMemo, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, Notice, ProgressBar } from "../../shared/components";
import { formatDate, formatMoney, formatPoints } from "../../shared/format";
import { FormKey } from "../../shared/idempotency";
import { useI18n } from "../../shared/i18n";
import { MyRewards, RedeemReward } from "../queries";

export function RewardsPage() {
  const { t, locale } = useI18n();
  const [{ data, error }, refresh] = useQuery({ query: MyRewards });
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data) return <p className="acc-muted">{t("acc.loading")}</p>;
  const { badges, tier } = data.myBadges;
  const next = tier.nextTier;
  const progress = next?.minPoints ? Math.min(100, Math.round((tier.measuredValue / next.minPoints) * 100)) : 100;
  const unlocked = badges.filter((b) => b.isHeld);
  return (
    <>
      <section className="acc-card" aria-labelledby="tier-h" data-testid="tier">
        <h2 id="tier-h">{t("acc.tier.title")}</h2>
        <div className="acc-big" data-testid="tier-current">{tier.current?.badge.localizedTitle ?? t("acc.tier.none")}</div>
        {next ? (
          <>
            <p data-testid="tier-next">{t("acc.tier.next", { tier: next.localizedTitle, points: formatPoints(tier.pointsToNextTier ?? 0, locale) })}</p>
            <ProgressBar value={progress} label={t("acc.tier.progress")} />
          </>
        ) : <p>{t("acc.tier.top")}</p>}
      </section>
      <section className="acc-card" aria-labelledby="badges-h" data-testid="badges">
        <h2 id="badges-h">{t("acc.badges.title")}</h2>
        {unlocked.length === 0 && <p className="acc-muted">{t("acc.badges.none")}</p>}
        <div className="acc-grid">
          {unlocked.map((b) => (
            <div key={b.badge.id} className="acc-card" data-testid="badge">
              {b.badge.icon && <img src={b.badge.icon.url} alt="" width={48} height={48} />}
              <strong>{b.badge.localizedTitle}</strong>
              <span className="acc-muted">{b.badge.localizedDescription}</span>
              <span className="acc-muted">{t("acc.badges.since", { date: formatDate(b.unlockedAt, locale) })}</span>
              {b.voucherCode && <span>{t("acc.badges.voucher", { code: b.voucherCode })}</span>}
            </div>
          ))}
        </div>
      </section>
      <section className="acc-card" aria-labelledby="rewards-h" data-testid="rewards">
        <h2 id="rewards-h">{t("acc.rewards.title")}</h2>
        <p className="acc-muted">{t("acc.rewards.balance", { points: formatPoints(data.myPoints.balance.available, locale) })}</p>
        {data.rewards.length === 0 && <p className="acc-muted">{t("acc.rewards.none")}</p>}
        <div className="acc-grid">
          {data.rewards.map((r) => <RewardTile key={r.id} reward={r} onDone={() => refresh({ requestPolicy: "network-only" })} />)}
        </div>
      </section>
    </>
  );
}

type Reward = { id: string; name: string; description: string; points: number; reachable: boolean; pointsMissing: number; blockedBy?: string | null; amount?: { amount: number; currency: string } | null; image?: { url: string; alt?: string | null } | null };

function RewardTile({ reward, onDone }: { reward: Reward; onDone: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  // One key per reward form: a double tap redeems once.
  const key = useMemo(() => new FormKey("account-reward", `cv.account.reward.${reward.id}`), [reward.id]);
  const [errors, setErrors] = useState<{ field?: string | null; message?: string | null }[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const redeem = async () => {
    setBusy(true);
    const result = await client.mutation(RedeemReward, { rewardId: reward.id, key: key.for(reward.id) }).toPromise();
    setBusy(false);
    const payload = result.data?.rewardRedeem;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      return;
    }
    key.done();
    setErrors([]);
    const r = payload.redemption;
    setDone(r?.voucherCode ? t("acc.rewards.voucher", { code: r.voucherCode }) : r?.walletCredit ? t("acc.rewards.credited", { amount: formatMoney(r.walletCredit.amount, r.walletCredit.currency, locale) }) : t("acc.rewards.done"));
    onDone();
  };
  return (
    <div className="acc-card" data-testid="reward">
      {reward.image && <img src={reward.image.url} alt={reward.image.alt ?? ""} style={{ maxWidth: "100%", borderRadius: 8 }} />}
      <strong>{reward.name}</strong>
      {reward.description && <span className="acc-muted">{reward.description}</span>}
      <span>{formatPoints(reward.points, locale)}</span>
      {reward.reachable ? (
        <button className="acc-btn" onClick={redeem} disabled={busy} data-testid="reward-redeem">{t("acc.rewards.redeem")}</button>
      ) : (
        <span className="acc-muted" data-testid="reward-missing">{reward.pointsMissing > 0 ? t("acc.rewards.missing", { points: formatPoints(reward.pointsMissing, locale) }) : reward.blockedBy ?? t("acc.rewards.unavailable")}</span>
      )}
      <ErrorList errors={errors} />
      {done && <Notice tone="success" testId="reward-done">{done}</Notice>}
    </div>
  );
}
