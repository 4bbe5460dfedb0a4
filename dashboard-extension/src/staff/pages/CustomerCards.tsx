import { Box, Button, Input } from "@saleor/macaw-ui";
import { FormEvent, useState } from "react";
import { useClient } from "urql";
import { ErrorList, Notice, Table } from "../../shared/components";
import { formatDate } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { CardBlock, CardLink, CardReplace } from "../queries";

interface CardRow { id: string; maskedCode: string; kind: string; state: string; expiresAt?: string | null; hasChip: boolean; blockedReason?: string | null }

export function CustomerCards({ customerId, cards, onChange }: { customerId: string; cards: CardRow[]; onChange: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [errors, setErrors] = useState<any[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [linkCode, setLinkCode] = useState("");

  const run = async (promise: Promise<any>, key: string, message: string) => {
    setErrors(null);
    setDone(null);
    const r = await promise;
    const problems = r.error ? [{ message: r.error.message }] : r.data?.[key]?.customerValueErrors;
    if (problems?.length) return setErrors(problems);
    setDone(message);
    onChange();
  };

  const block = (card: CardRow) => {
    const reason = window.prompt(t("cards.blockReason"));
    if (!reason) return;
    run(client.mutation(CardBlock, { id: card.id, reason }).toPromise(), "cardBlock", t("cards.blocked"));
  };
  const replace = (card: CardRow) => {
    if (!window.confirm(t("cards.replaceConfirm", { code: card.maskedCode }))) return;
    run(client.mutation(CardReplace, { id: card.id }).toPromise(), "cardReplace", t("cards.replaced"));
  };
  const link = (event: FormEvent) => {
    event.preventDefault();
    const value = linkCode.trim();
    if (!value) return;
    const isCode = /^cv1:/i.test(value) || value.replace(/[\s-]/g, "").length === 16;
    run(
      client.mutation(CardLink, { customerId, ...(isCode ? { code: value } : { chipUid: value }) }).toPromise(),
      "cardLink",
      t("cards.linked"),
    );
    setLinkCode("");
  };

  return (
    <Box display="flex" flexDirection="column" gap={3}>
      {cards.length === 0 ? <Notice>{t("cards.none")}</Notice> : (
        <Table head={[t("cards.code"), t("cards.kind"), t("cards.state"), t("cards.expires"), ""]} testId="customer-cards">
          {cards.map((c) => (
            <tr key={c.id}>
              <td><code>{c.maskedCode}</code>{c.hasChip ? ` · ${t("cards.chip")}` : ""}</td>
              <td>{t(`cards.kind.${c.kind}`)}</td>
              <td><span className={`cv-badge ${c.state}`}>{t(`cards.state.${c.state}`)}</span>{c.blockedReason ? ` · ${c.blockedReason}` : ""}</td>
              <td>{formatDate(c.expiresAt, locale)}</td>
              <td>
                {(c.state === "ACTIVE" || c.state === "GENERATED") && (
                  <Box display="flex" gap={2}>
                    <Button size="small" variant="secondary" onClick={() => block(c)}>{t("cards.block")}</Button>
                    <Button size="small" variant="secondary" onClick={() => replace(c)}>{t("cards.replace")}</Button>
                  </Box>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Box as="form" onSubmit={link} display="flex" gap={3} alignItems="flex-end">
        <Box flexGrow="1"><Input label={t("cards.linkLabel")} helperText={t("cards.linkHelp")} value={linkCode} onChange={(e) => setLinkCode(e.target.value)} data-testid="card-link-input" /></Box>
        <Button type="submit" variant="secondary">{t("cards.link")}</Button>
      </Box>
      <ErrorList errors={errors} />
      {done && <Notice tone="success">{done}</Notice>}
    </Box>
  );
}
