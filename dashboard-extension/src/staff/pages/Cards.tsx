import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { FormEvent, useEffect, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, NativeSelect, Notice, PageTitle, Panel, ProgressBar, RequirePermission, Table } from "../../shared/components";
import { formatDate, formatDateTime } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { CardBatchCreate, CardBatchExport, CardBatchPoll, CardBatchPrintFilePoll, CardBatches } from "../queries";

// The API counts generated cards; the bar shows percent (100 only when all exist).
const percent = (done: number, total: number) => (total ? Math.floor((100 * done) / total) : 0);
const count = (n: number, locale: string) => n.toLocaleString(locale === "de" ? "de-DE" : "en-GB");

export function CardsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("cards.title")}</PageTitle>
      <RequirePermission permission="MANAGE_CARDS" what={t("cards.title")}>
        <CardBatchesView />
      </RequirePermission>
    </>
  );
}

function CardBatchesView() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [{ data }, refetch] = useQuery({ query: CardBatches, requestPolicy: "network-only" });
  const [name, setName] = useState("");
  const [quantity, setQuantity] = useState("1000");
  const [kind, setKind] = useState("QR");
  const [expiresAt, setExpiresAt] = useState("");
  const [errors, setErrors] = useState<any[] | null>(null);
  const [running, setRunning] = useState<{ id: string; progress: number; quantity: number; status: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // The print PDF is built by a background task: its progress, per batch.
  const [printing, setPrinting] = useState<{ id: string; processed: number; total: number; status: string; error?: string | null } | null>(null);

  // Follow the generation task: poll the batch until it is done or failed.
  useEffect(() => {
    if (!running || running.status === "DONE" || running.status === "FAILED") return;
    const timer = setTimeout(async () => {
      const r = await client.query(CardBatchPoll, { id: running.id }, { requestPolicy: "network-only" }).toPromise();
      const b = r.data?.cardBatch;
      if (b) setRunning({ id: b.id, progress: b.progress, quantity: b.quantity, status: b.status });
      if (b && (b.status === "DONE" || b.status === "FAILED")) refetch({ requestPolicy: "network-only" });
    }, 500);
    return () => clearTimeout(timer);
  }, [running, client, refetch]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    const count = Number(quantity);
    if (!Number.isInteger(count) || count < 1) return setErrors([{ field: "quantity", message: t("cards.quantityInvalid") }]);
    setBusy(true);
    const r = await client.mutation(CardBatchCreate, { input: { name: name.trim(), quantity: count, kind: kind as any, expiresAt: expiresAt || null } }).toPromise();
    setBusy(false);
    const problems = r.error ? [{ message: r.error.message }] : r.data?.cardBatchCreate?.customerValueErrors;
    if (problems?.length) return setErrors(problems);
    const b = r.data!.cardBatchCreate!.batch!;
    setRunning({ id: b.id, progress: b.progress, quantity: b.quantity, status: b.status });
    refetch({ requestPolicy: "network-only" });
  };

  // Poll the PDF build; when it is done, ask for the download link again.
  useEffect(() => {
    if (!printing || printing.status === "DONE" || printing.status === "FAILED") return;
    const timer = setTimeout(async () => {
      const r = await client.query(CardBatchPrintFilePoll, { id: printing.id }, { requestPolicy: "network-only" }).toPromise();
      const job = r.data?.cardBatch?.printFile;
      if (!job) return;
      setPrinting({ id: printing.id, ...job });
      if (job.status === "DONE") download(printing.id, "PDF");
    }, 700);
    return () => clearTimeout(timer);
  }, [printing, client]);

  const download = async (id: string, format: "CSV" | "PDF") => {
    setErrors(null);
    const r = await client.mutation(CardBatchExport, { id, format }).toPromise();
    const result = r.data?.cardBatchExport;
    const file = result?.file;
    if (!file && result?.printFile && !result.customerValueErrors.length) {
      return setPrinting({ id, ...result.printFile });
    }
    if (!file) return setErrors(result?.customerValueErrors ?? [{ message: r.error?.message }]);
    const a = document.createElement("a");
    a.href = file.url;
    a.download = file.filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Panel title={t("cards.newBatch")}>
        <Box as="form" onSubmit={create} display="flex" flexDirection="column" gap={3} data-testid="batch-form">
          <div className="cv-row">
            <Input label={t("cards.batchName")} value={name} onChange={(e) => setName(e.target.value)} required data-testid="batch-name" />
            <Input label={t("cards.quantity")} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="numeric" data-testid="batch-quantity" />
            <NativeSelect label={t("cards.kind")} value={kind} onChange={(e) => setKind(e.target.value)} options={["QR", "CHIP"].map((k) => ({ value: k, label: t(`cards.kind.${k}`) }))} data-testid="batch-kind" />
            <label className="cv-field"><span>{t("cards.expires")}</span><input type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} data-testid="batch-expires" /></label>
          </div>
          <ErrorList errors={errors} />
          <Box display="flex" justifyContent="flex-end"><Button type="submit" variant="primary" disabled={busy} data-testid="batch-create">{t("cards.create")}</Button></Box>
        </Box>
        {running && (
          <Box display="flex" flexDirection="column" gap={2} data-testid="batch-progress" data-status={running.status}>
            <Text>{t(`cards.status.${running.status}`)}</Text>
            <ProgressBar value={percent(running.progress, running.quantity)} label={t("cards.progress")} />
            <Text size={2} color="default2">{t("cards.generated", { done: count(running.progress, locale), total: count(running.quantity, locale) })}</Text>
          </Box>
        )}
      </Panel>
      <Panel title={t("cards.batches")}>
        {printing && (
          <Box display="flex" flexDirection="column" gap={2} marginBottom={4} data-testid="print-progress" data-status={printing.status}>
            <Text>{printing.status === "FAILED" ? t("cards.printFailed", { error: printing.error ?? "" }) : printing.status === "DONE" ? t("cards.printReady") : t("cards.printing")}</Text>
            {printing.status !== "FAILED" && <ProgressBar value={percent(printing.processed, printing.total)} label={t("cards.progress")} />}
            <Text size={2} color="default2">{t("cards.printed", { done: count(printing.processed, locale), total: count(printing.total, locale) })}</Text>
          </Box>
        )}
        {data?.cardBatches.length === 0 && <Notice>{t("cards.noBatches")}</Notice>}
        {data && data.cardBatches.length > 0 && (
          <Table head={[t("cards.batchName"), t("cards.kind"), t("cards.quantity"), t("cards.state"), t("cards.created"), t("cards.expires"), ""]} testId="batches">
            {data.cardBatches.map((b) => (
              <tr key={b.id} data-testid="batch-row">
                <td>{b.name}</td>
                <td>{t(`cards.kind.${b.kind}`)}</td>
                <td className="num">{count(b.quantity, locale)}</td>
                <td>{b.status === "DONE" || b.status === "FAILED" ? <span className={`cv-badge ${b.status}`}>{t(`cards.status.${b.status}`)}</span> : <ProgressBar value={percent(b.progress, b.quantity)} label={t("cards.progress")} />}</td>
                <td>{formatDateTime(b.createdAt, locale)}</td>
                <td>{formatDate(b.expiresAt, locale)}</td>
                <td>
                  {b.status === "DONE" && (
                    <Box display="flex" gap={2}>
                      <Button size="small" variant="secondary" onClick={() => download(b.id, "CSV")} data-testid="batch-csv">CSV</Button>
                      <Button size="small" variant="secondary" onClick={() => download(b.id, "PDF")} data-testid="batch-pdf">PDF</Button>
                    </Box>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Panel>
    </Box>
  );
}
