import { Box, Button, Text } from "@saleor/macaw-ui";
import { FormEvent, useMemo, useState } from "react";
import { useClient } from "urql";
import { ErrorList, Notice, Panel } from "../../shared/components";
import { parseAmount } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { FormKey } from "../../shared/idempotency";
import { PartnerLookup, PartnerPoints, PartnerSale } from "./queries";

type Found = { customerId?: string | null; name: string; email?: string | null; points: number; masked?: string | null };

/** A merchant's staff at the counter: find a customer (card code, e-mail or name), record
 * a sale with its mandatory note, add or remove points with a note. Every booking is for
 * the staff member's own merchant (the API decides, not the page). */
export function MerchantDesk({ currency, onBooked }: { currency: string; onBooked: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Found[] | null>(null);
  const [code, setCode] = useState("");
  const [amount, setAmount] = useState("");
  const [receipt, setReceipt] = useState("");
  const [note, setNote] = useState("");
  const [points, setPoints] = useState("");
  const [errors, setErrors] = useState<any[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const saleKey = useMemo(() => new FormKey("console:partner-sale", "cv.key.partner-sale"), []);
  const pointsKey = useMemo(() => new FormKey("console:partner-points", "cv.key.partner-points"), []);

  const find = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    const text = query.trim();
    const variables = text.includes("@") ? { email: text } : /\d/.test(text) ? { code: text } : { name: text };
    const r = await client.query(PartnerLookup, variables, { requestPolicy: "network-only" }).toPromise();
    const answer = r.data?.posCustomerLookup;
    if (!answer || answer.customerValueErrors.length) return setErrors(answer?.customerValueErrors ?? [{ message: r.error?.message }]);
    setFound(answer.customers.map((c) => ({ customerId: c.customerId, name: c.name, email: c.email, points: c.points.available, masked: c.card?.maskedCode })));
    if (/\d/.test(text) && !text.includes("@")) setCode(text);
  };

  const customer = () => (code.trim() ? { code: code.trim() } : null);

  const sale = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setDone(null);
    const value = parseAmount(amount, locale);
    if (!customer() || value === null || !note.trim() || !receipt.trim()) return setErrors([{ message: t("partners.desk.incomplete") }]);
    const input = { customer: customer()!, amount: value, currency, receipt: receipt.trim(), note: note.trim() };
    const r = await client.mutation(PartnerSale, { input: { ...input, idempotencyKey: saleKey.for(input) } }).toPromise();
    const result = r.data?.posSaleRecord;
    if (!result || result.customerValueErrors.length) return setErrors(result?.customerValueErrors ?? [{ message: r.error?.message }]);
    saleKey.done();
    setDone(t("partners.desk.saleDone", { points: result.pointsEarned }));
    setAmount("");
    setReceipt("");
    onBooked();
  };

  const adjust = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setDone(null);
    const value = Number.parseInt(points, 10);
    if (!customer() || !Number.isFinite(value) || value === 0 || !note.trim()) return setErrors([{ message: t("partners.desk.incomplete") }]);
    const variables = { customer: customer()!, points: value, note: note.trim() };
    const r = await client.mutation(PartnerPoints, { ...variables, key: pointsKey.for(variables) }).toPromise();
    const result = r.data?.merchantPointsAdjust;
    if (!result || result.customerValueErrors.length) return setErrors(result?.customerValueErrors ?? [{ message: r.error?.message }]);
    pointsKey.done();
    setDone(t("partners.desk.pointsDone", { points: result.customer?.points.available ?? 0 }));
    setPoints("");
    onBooked();
  };

  return (
    <Panel title={t("partners.desk.title")} testId="partners-desk">
      <Box as="form" onSubmit={find} display="flex" gap={3} alignItems="flex-end">
        <label className="cv-field">
          <span>{t("partners.desk.find")}</span>
          <input value={query} onChange={(e) => setQuery(e.target.value)} data-testid="partners-find" />
        </label>
        <Button type="submit" variant="secondary">{t("partners.desk.search")}</Button>
      </Box>
      {found && (
        <Box display="flex" flexDirection="column" gap={1}>
          {found.length === 0 && <Text size={2}>{t("partners.desk.nobody")}</Text>}
          {found.map((c, i) => (
            <Text key={c.customerId ?? i} size={2}>
              {c.name || c.email} {c.masked ? `(•••• ${c.masked})` : ""} · {t("partners.desk.points", { points: c.points })}
            </Text>
          ))}
        </Box>
      )}
      <label className="cv-field">
        <span>{t("partners.desk.code")}</span>
        <input value={code} onChange={(e) => setCode(e.target.value)} data-testid="partners-code" />
      </label>
      <label className="cv-field">
        <span>{t("partners.desk.note")}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} data-testid="partners-note" />
      </label>
      <Box as="form" onSubmit={sale} display="flex" gap={3} alignItems="flex-end">
        <label className="cv-field">
          <span>{t("partners.desk.amount", { currency })}</span>
          <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" data-testid="partners-amount" />
        </label>
        <label className="cv-field">
          <span>{t("partners.receipt")}</span>
          <input value={receipt} onChange={(e) => setReceipt(e.target.value)} data-testid="partners-receipt" />
        </label>
        <Button type="submit" data-testid="partners-sale">{t("partners.desk.sale")}</Button>
      </Box>
      <Box as="form" onSubmit={adjust} display="flex" gap={3} alignItems="flex-end">
        <label className="cv-field">
          <span>{t("partners.desk.pointsChange")}</span>
          <input value={points} onChange={(e) => setPoints(e.target.value)} inputMode="numeric" data-testid="partners-points" />
        </label>
        <Button type="submit" variant="secondary" data-testid="partners-adjust">{t("partners.desk.adjust")}</Button>
      </Box>
      <ErrorList errors={errors} />
      {done && <Notice tone="success" testId="partners-done">{done}</Notice>}
    </Panel>
  );
}
