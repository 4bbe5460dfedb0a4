import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { useClient } from "urql";
import { useI18n } from "../../shared/i18n";
import { CatalogueSearch } from "../queries";

export interface Picked { id: string; name: string; type: "product" | "category" }

/** Search Saleor's catalogue for a product or a category. */
export function CataloguePicker({ onPick, only, testId }: { onPick: (item: Picked) => void; only?: "product" | "category"; testId?: string }) {
  const { t } = useI18n();
  const client = useClient();
  const [search, setSearch] = useState("");
  const [items, setItems] = useState<Picked[]>([]);

  useEffect(() => {
    if (search.trim().length < 2) return setItems([]);
    const timer = setTimeout(async () => {
      const r = await client.query(CatalogueSearch, { search: search.trim() }).toPromise();
      const products = (r.data?.products?.edges ?? []).map(({ node }) => ({ id: node.id, name: node.name, type: "product" as const }));
      const categories = (r.data?.categories?.edges ?? []).map(({ node }) => ({ id: node.id, name: node.name, type: "category" as const }));
      setItems([...(only === "category" ? [] : products), ...(only === "product" ? [] : categories)]);
    }, 250);
    return () => clearTimeout(timer);
  }, [search, client, only]);

  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid={testId}>
      <Input label={t("picker.search")} value={search} onChange={(e) => setSearch(e.target.value)} size="small" />
      {items.length > 0 && (
        <Box display="flex" flexDirection="column" gap={1}>
          {items.map((item) => (
            <Box key={item.id} display="flex" justifyContent="space-between" alignItems="center">
              <Text size={2}>{item.name} <Text size={1} color="default2">({t(`picker.${item.type}`)})</Text></Text>
              <Button size="small" variant="tertiary" type="button" onClick={() => { onPick(item); setSearch(""); }}>{t("picker.choose")}</Button>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
