import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { FormEvent, useState } from "react";
import { useClient } from "urql";
import { Notice, PageTitle, Panel, RequirePermission, Table } from "../../shared/components";
import { useI18n } from "../../shared/i18n";
import { navigate } from "../../shared/router";
import { CustomerSearch } from "../queries";

type Result = NonNullable<NonNullable<Awaited<ReturnType<typeof runSearch>>>>[number];

async function runSearch(client: ReturnType<typeof useClient>, query: string) {
  const result = await client.query(CustomerSearch, { query }, { requestPolicy: "network-only" }).toPromise();
  if (result.error) throw result.error;
  return result.data?.customerValueSearch ?? [];
}

export function CustomerSearchPage() {
  const { t } = useI18n();
  const client = useClient();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<Result[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A USB scanner types the QR payload and presses Enter: that submits this form.
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const found = await runSearch(client, query.trim());
      const single = found.length === 1 ? found[0] : null;
      if (single?.id && (single.matchedBy === "card" || single.matchedBy === "chip")) {
        navigate("customers", single.id);
        return;
      }
      setResults(found);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <RequirePermission permission={["MANAGE_WALLETS", "MANAGE_LOYALTY", "MANAGE_CARDS", "VIEW_LEDGER"]} what={t("search.title")}>
      <PageTitle>{t("search.title")}</PageTitle>
      <Panel>
        <Box as="form" onSubmit={submit} display="flex" gap={3} alignItems="flex-end">
          <Box flexGrow="1">
            <Input
              label={t("search.label")}
              helperText={t("search.help")}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoFocus
              data-testid="customer-search"
            />
          </Box>
          <Button type="submit" variant="primary" data-testid="customer-search-submit">{t("search.submit")}</Button>
        </Box>
        {error && <Notice tone="error">{error}</Notice>}
        {results && results.length === 0 && <Notice testId="search-empty">{t("search.none")}</Notice>}
        {results && results.length > 0 && (
          <Table head={[t("customer.name"), t("customer.email"), t("search.matchedBy"), t("customer.cards")]} testId="search-results">
            {results.map((r, i) => (
              <tr key={r.id ?? `card-${i}`}>
                <td>
                  {r.id ? <a href={`#/customers/${encodeURIComponent(r.id)}`}>{[r.firstName, r.lastName].filter(Boolean).join(" ") || r.email}</a> : <Text color="default2">{t("search.unregisteredCard", { code: r.card?.maskedCode ?? "" })}</Text>}
                </td>
                <td>{r.email}</td>
                <td>{t(`search.by.${r.matchedBy}`)}</td>
                <td>{r.cardCount}</td>
              </tr>
            ))}
          </Table>
        )}
      </Panel>
    </RequirePermission>
  );
}
