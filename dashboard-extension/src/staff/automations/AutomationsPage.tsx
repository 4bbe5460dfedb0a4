import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { FormEvent, useEffect, useMemo, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, NativeSelect, Notice, PageTitle, Panel, ProgressBar, RequirePermission, Table } from "../../shared/components";
import { formatAmount, formatDateTime, parseAmount, parsePoints } from "../../shared/format";
import type { Locale } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { AutomationOverview, GiftSave, RunCancel, RunCreate, SegmentPreview } from "./queries";

const ACTIONS = ["ADD_POINTS", "SUBTRACT_POINTS", "SET_POINTS", "CREDIT_WALLET", "GRANT_BADGE"] as const;
const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "BIRTHDAY"] as const;
type Action = (typeof ACTIONS)[number];

export interface SegmentForm {
  pointsMin: string;
  pointsMax: string;
  badge: string;
  country: string;
  emailContains: string;
  joinedFrom: string;
  joinedTo: string;
  lastOrderFrom: string;
  lastOrderTo: string;
  totalSpentMin: string;
}

export const emptySegment: SegmentForm = {
  pointsMin: "", pointsMax: "", badge: "", country: "", emailContains: "", joinedFrom: "", joinedTo: "",
  lastOrderFrom: "", lastOrderTo: "", totalSpentMin: "",
};

/** The segment form as the API's AutomationSegmentInput (empty fields left out). */
export function toSegmentInput(f: SegmentForm, locale: Locale): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pointsMin = f.pointsMin ? parsePoints(f.pointsMin, locale) : null;
  const pointsMax = f.pointsMax ? parsePoints(f.pointsMax, locale) : null;
  if (pointsMin !== null) out.pointsMin = pointsMin;
  if (pointsMax !== null) out.pointsMax = pointsMax;
  if (f.badge) out.badges = [f.badge];
  if (f.country.trim()) out.country = f.country.trim().toUpperCase();
  if (f.emailContains.trim()) out.emailContains = f.emailContains.trim();
  for (const key of ["joinedFrom", "joinedTo", "lastOrderFrom", "lastOrderTo"] as const) if (f[key]) out[key] = f[key];
  const spent = f.totalSpentMin ? parseAmount(f.totalSpentMin, locale) : null;
  if (spent !== null) out.totalSpentMin = spent;
  return out;
}

export function AutomationsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("automations.title")}</PageTitle>
      <RequirePermission permission="MANAGE_LOYALTY" what={t("automations.title")}>
        <AutomationsView />
      </RequirePermission>
    </>
  );
}

function AutomationsView() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [{ data }, refetch] = useQuery({ query: AutomationOverview, requestPolicy: "network-only" });
  const [segment, setSegment] = useState<SegmentForm>(emptySegment);
  const [action, setAction] = useState<Action>("ADD_POINTS");
  const [value, setValue] = useState("");
  const [badge, setBadge] = useState("");
  const [note, setNote] = useState("");
  const [customerNote, setCustomerNote] = useState("");
  const [giftName, setGiftName] = useState("");
  const [frequency, setFrequency] = useState<(typeof FREQUENCIES)[number]>("MONTHLY");
  const [day, setDay] = useState("1");
  const [errors, setErrors] = useState<any[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const filter = useMemo(() => toSegmentInput(segment, locale), [segment, locale]);
  const [{ data: preview }] = useQuery({ query: SegmentPreview, variables: { filter } as any, requestPolicy: "network-only" });

  const running = (data?.automationRuns ?? []).some((r) => r.status === "PENDING" || r.status === "RUNNING");
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), 1500);
    return () => clearInterval(timer);
  }, [running, refetch]);

  const actionInput = () => {
    const input: Record<string, unknown> = { action, note, customerNote };
    if (action === "CREDIT_WALLET") input.amount = parseAmount(value, locale) ?? value;
    else if (action === "GRANT_BADGE") input.badgeId = badge || null;
    else input.points = parsePoints(value, locale);
    return input;
  };
  const set = (patch: Partial<SegmentForm>) => setSegment((s) => ({ ...s, ...patch }));

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setErrors(null);
    setDone(null);
    const r = await client.mutation(RunCreate, { filter, input: actionInput() as any }).toPromise();
    const answer = r.data?.automationRunCreate;
    if (!answer?.run) return setErrors(answer?.customerValueErrors ?? [{ message: r.error?.message }]);
    setDone(t("automations.started"));
    refetch({ requestPolicy: "network-only" });
  };

  const saveGift = async () => {
    setErrors(null);
    setDone(null);
    const input = { name: giftName, frequency, day: Number(day) || 1, filter, action: actionInput() };
    const r = await client.mutation(GiftSave, { input: input as any }).toPromise();
    const answer = r.data?.periodicGiftSave;
    if (!answer?.gift) return setErrors(answer?.customerValueErrors ?? [{ message: r.error?.message }]);
    setDone(t("automations.giftSaved"));
    refetch({ requestPolicy: "network-only" });
  };

  const cancel = async (id: string) => {
    await client.mutation(RunCancel, { id }).toPromise();
    refetch({ requestPolicy: "network-only" });
  };

  const badges = data?.badges ?? [];
  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Panel title={t("automations.segment")} testId="automation-segment">
        <div className="cv-row">
          <Input label={t("automations.pointsMin")} value={segment.pointsMin} onChange={(e) => set({ pointsMin: e.target.value })} inputMode="numeric" data-testid="segment-points-min" />
          <Input label={t("automations.pointsMax")} value={segment.pointsMax} onChange={(e) => set({ pointsMax: e.target.value })} inputMode="numeric" />
          <NativeSelect label={t("automations.badge")} value={segment.badge} onChange={(e) => set({ badge: e.target.value })}
            options={[{ value: "", label: t("filter.all") }, ...badges.map((b) => ({ value: b.id, label: b.localizedTitle }))]} data-testid="segment-badge" />
          <Input label={t("automations.country")} value={segment.country} onChange={(e) => set({ country: e.target.value })} />
          <Input label={t("automations.emailContains")} value={segment.emailContains} onChange={(e) => set({ emailContains: e.target.value })} />
        </div>
        <div className="cv-row">
          <label className="cv-field"><span>{t("automations.joinedFrom")}</span><input type="date" value={segment.joinedFrom} onChange={(e) => set({ joinedFrom: e.target.value })} /></label>
          <label className="cv-field"><span>{t("automations.joinedTo")}</span><input type="date" value={segment.joinedTo} onChange={(e) => set({ joinedTo: e.target.value })} /></label>
          <label className="cv-field"><span>{t("automations.lastOrderFrom")}</span><input type="date" value={segment.lastOrderFrom} onChange={(e) => set({ lastOrderFrom: e.target.value })} /></label>
          <label className="cv-field"><span>{t("automations.lastOrderTo")}</span><input type="date" value={segment.lastOrderTo} onChange={(e) => set({ lastOrderTo: e.target.value })} /></label>
          <Input label={t("automations.totalSpentMin")} value={segment.totalSpentMin} onChange={(e) => set({ totalSpentMin: e.target.value })} inputMode="decimal" />
        </div>
        <Text size={4} fontWeight="bold" data-testid="segment-count">
          {t("automations.count", { count: preview?.automationSegmentPreview.count ?? "…" })}
        </Text>
        <Text size={2} color="default2">{(preview?.automationSegmentPreview.sample ?? []).map((c) => c.email).join(", ")}</Text>
      </Panel>

      <Panel title={t("automations.action")}>
        <Box as="form" onSubmit={run} display="flex" flexDirection="column" gap={3} data-testid="automation-form">
          <div className="cv-row">
            <NativeSelect label={t("automations.action")} value={action} onChange={(e) => setAction(e.target.value as Action)}
              options={ACTIONS.map((a) => ({ value: a, label: t(`automations.action.${a}`) }))} data-testid="automation-action" />
            {action === "GRANT_BADGE" ? (
              <NativeSelect label={t("automations.badge")} value={badge} onChange={(e) => setBadge(e.target.value)}
                options={[{ value: "", label: "—" }, ...badges.map((b) => ({ value: b.id, label: b.localizedTitle }))]} />
            ) : (
              <Input label={action === "CREDIT_WALLET" ? t("automations.amount") : t("automations.points")} value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" data-testid="automation-value" />
            )}
            <Input label={t("automations.note")} value={note} onChange={(e) => setNote(e.target.value)} required data-testid="automation-note" />
            <Input label={t("automations.customerNote")} value={customerNote} onChange={(e) => setCustomerNote(e.target.value)} />
          </div>
          <ErrorList errors={errors} />
          {done && <Notice tone="success">{done}</Notice>}
          <Box display="flex" gap={3} justifyContent="flex-end" alignItems="flex-end" flexWrap="wrap">
            <Input label={t("automations.giftName")} value={giftName} onChange={(e) => setGiftName(e.target.value)} data-testid="gift-name" />
            <NativeSelect label={t("automations.frequency")} value={frequency} onChange={(e) => setFrequency(e.target.value as any)}
              options={FREQUENCIES.map((f) => ({ value: f, label: t(`automations.frequency.${f}`) }))} />
            <Input label={t("automations.day")} value={day} onChange={(e) => setDay(e.target.value)} inputMode="numeric" />
            <Button type="button" variant="secondary" onClick={saveGift} data-testid="gift-save">{t("automations.saveGift")}</Button>
            <Button type="submit" variant="primary" data-testid="automation-run">{t("automations.runNow")}</Button>
          </Box>
        </Box>
      </Panel>

      <Panel title={t("automations.runs")} testId="automation-runs">
        {(data?.automationRuns ?? []).length === 0 && <Notice>{t("automations.noRuns")}</Notice>}
        {(data?.automationRuns ?? []).length > 0 && (
          <Table head={[t("automations.created"), t("automations.action"), t("automations.state"), t("automations.progress"), t("automations.summary"), ""]}>
            {(data?.automationRuns ?? []).map((r) => (
              <tr key={r.id} data-testid="run-row" data-status={r.status}>
                <td>{formatDateTime(r.createdAt, locale)}{r.periodicGift ? ` · ${r.periodicGift.name}` : ""}</td>
                <td>
                  {t(`automations.action.${r.action}`)}{" "}
                  {r.action === "CREDIT_WALLET" ? formatAmount(r.amount ?? 0, r.currency, locale) : r.badge ? r.badge.localizedTitle : r.points}
                </td>
                <td><span className={`cv-badge ${r.status}`}>{t(`automations.status.${r.status}`)}</span></td>
                <td><ProgressBar value={Math.round(r.progress * 100)} label={t("automations.progress")} /></td>
                <td title={r.problems.map((p) => `${p.customerEmail}: ${p.message}`).join("\n")}>
                  {t("automations.counts", { processed: r.processed, total: r.total, booked: r.booked, skipped: r.skipped, failed: r.failed })}
                </td>
                <td>
                  {(r.status === "PENDING" || r.status === "RUNNING") && !r.cancelRequested && (
                    <Button size="small" variant="secondary" onClick={() => cancel(r.id)} data-testid="run-cancel">{t("automations.cancel")}</Button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Panel>

      <Panel title={t("automations.gifts")} testId="automation-gifts">
        {(data?.periodicGifts ?? []).length === 0 && <Notice>{t("automations.noGifts")}</Notice>}
        {(data?.periodicGifts ?? []).length > 0 && (
          <Table head={[t("automations.giftName"), t("automations.frequency"), t("automations.action"), t("automations.last")]}>
            {(data?.periodicGifts ?? []).map((g) => (
              <tr key={g.id}>
                <td>{g.name}{g.isActive ? "" : ` (${t("automations.inactive")})`}</td>
                <td>{t(`automations.frequency.${g.frequency}`)}{g.frequency === "BIRTHDAY" || g.frequency === "DAILY" ? "" : ` · ${g.day}`}</td>
                <td>{t(`automations.action.${g.action}`)} {g.action === "CREDIT_WALLET" ? formatAmount(g.amount ?? 0, g.currency, locale) : g.points ?? ""}</td>
                <td>{g.occurrences[0] ? `${g.occurrences[0].periodKey} · ${g.occurrences[0].run?.booked ?? 0}/${g.occurrences[0].run?.total ?? 0}` : "—"}</td>
              </tr>
            ))}
          </Table>
        )}
      </Panel>
    </Box>
  );
}
