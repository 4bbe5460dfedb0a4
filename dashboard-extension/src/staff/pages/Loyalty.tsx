import { Box, Button, Checkbox, Input, Text, Textarea } from "@saleor/macaw-ui";
import { FormEvent, useEffect, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, NativeSelect, Notice, PageTitle, Panel, RequirePermission, Table } from "../../shared/components";
import { formatDateTime, parseAmount } from "../../shared/format";
import { useI18n } from "../../shared/i18n";
import { EarnRuleDelete, EarnRuleSet, LoyaltyProgram, LoyaltyProgramUpdate } from "../queries";
import { CataloguePicker, Picked } from "./Picker";

type FieldType = "int" | "money" | "decimal" | "bool" | "text";
interface Field { name: string; type: FieldType; options?: string[]; optional?: boolean }

const SECTIONS: { title: string; fields: Field[] }[] = [
  { title: "loyalty.section.earn", fields: [
    { name: "enabled", type: "bool" },
    { name: "earnPoints", type: "int" }, { name: "earnAmount", type: "money" },
    { name: "earnBase", type: "text", options: ["PRODUCTS", "PRODUCTS_AND_SHIPPING"] },
    { name: "earnRounding", type: "text", options: ["DOWN", "NEAREST"] },
    { name: "earnMoment", type: "text", options: ["CREATED", "PAID", "FULFILLED"] },
    { name: "pendingDays", type: "int" },
  ] },
  { title: "loyalty.section.actions", fields: [
    { name: "registrationPoints", type: "int" }, { name: "newsletterPoints", type: "int" }, { name: "reviewPoints", type: "int" },
    { name: "reviewPolicy", type: "text", options: ["PER_REVIEW", "ONCE_PER_CUSTOMER"] },
  ] },
  { title: "loyalty.section.redeem", fields: [
    { name: "redeemPoints", type: "int" }, { name: "redeemAmount", type: "money" },
    { name: "redeemMinBalance", type: "int" }, { name: "redeemMinCart", type: "money" },
    { name: "redeemMaxType", type: "text", options: ["NONE", "AMOUNT", "PERCENT"] }, { name: "redeemMaxValue", type: "decimal" },
    { name: "redeemExcludeDiscounted", type: "bool" },
  ] },
  { title: "loyalty.section.convert", fields: [
    { name: "convertPoints", type: "int" }, { name: "convertAmount", type: "money" }, { name: "convertMinPoints", type: "int" },
    { name: "expiryDays", type: "int", optional: true }, { name: "expiringSoonDays", type: "int" },
    { name: "introText", type: "text" },
  ] },
];
const LISTS = ["redeemIncludeProducts", "redeemIncludeCategories", "redeemExcludeProducts", "redeemExcludeCategories"] as const;

export function LoyaltyPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t("loyalty.title")}</PageTitle>
      <RequirePermission permission="MANAGE_LOYALTY" what={t("loyalty.title")}>
        <LoyaltyForm />
      </RequirePermission>
    </>
  );
}

function toText(value: any, type: FieldType, locale: string): string {
  if (value === null || value === undefined) return "";
  if (type === "money") value = value.amount;
  if (type === "money" || type === "decimal") {
    const s = String(value);
    return locale === "de" ? s.replace(".", ",") : s;
  }
  return String(value);
}

function LoyaltyForm() {
  const { t, locale } = useI18n();
  const client = useClient();
  const [{ data }, refetch] = useQuery({ query: LoyaltyProgram, requestPolicy: "network-only" });
  const [values, setValues] = useState<Record<string, any>>({});
  const [lists, setLists] = useState<Record<string, { id: string; name: string }[]>>({});
  const [actions, setActions] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<any[] | null>(null);
  const [saved, setSaved] = useState(false);
  const program = data?.loyaltyProgram;

  useEffect(() => {
    if (!program) return;
    const next: Record<string, any> = {};
    for (const section of SECTIONS) for (const f of section.fields) next[f.name] = f.type === "bool" ? (program as any)[f.name] : toText((program as any)[f.name], f.type, locale);
    setValues(next);
    setLists(Object.fromEntries(LISTS.map((l) => [l, (program as any)[l] ?? []])));
    setActions(program.customActions.map((a) => `${a.code}=${a.points}${a.oncePerCustomer ? " once" : ""}`).join("\n"));
  }, [program, locale]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setSaved(false);
    const input: Record<string, any> = {};
    const local: Record<string, string> = {};
    for (const section of SECTIONS) for (const f of section.fields) {
      const raw = values[f.name];
      if (f.type === "bool") input[f.name] = Boolean(raw);
      else if (f.type === "int") {
        if (raw === "" && f.optional) input[f.name] = null;
        else if (!/^-?\d+$/.test(String(raw).trim())) local[f.name] = t("loyalty.wholeNumber");
        else input[f.name] = Number(raw);
      } else if (f.type === "money" || f.type === "decimal") {
        const parsed = parseAmount(String(raw), locale as any, f.type === "money" ? 2 : 4);
        if (parsed === null) local[f.name] = t("booking.invalidAmount");
        else input[f.name] = parsed;
      } else input[f.name] = raw;
    }
    for (const l of LISTS) input[l] = (lists[l] ?? []).map((x) => x.id);
    const parsedActions = [];
    for (const line of actions.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const m = /^([\w.-]+)\s*=\s*(\d+)(\s+once)?$/.exec(line);
      if (!m) { local.customActions = t("loyalty.actionsFormat"); break; }
      parsedActions.push({ code: m[1], points: Number(m[2]), oncePerCustomer: Boolean(m[3]) });
    }
    input.customActions = parsedActions;
    setFieldErrors(local);
    if (Object.keys(local).length) return;
    const r = await client.mutation(LoyaltyProgramUpdate, { input }).toPromise();
    const problems: { field?: string | null; message?: string | null }[] = r.error ? [{ message: r.error.message }] : r.data?.loyaltyProgramUpdate?.customerValueErrors ?? [];
    if (problems.length) {
      // Messages from the API go next to their fields; the rest above the button.
      const byField: Record<string, string> = {};
      const other = [];
      for (const p of problems) {
        if (p.field && (p.field in values || p.field === "customActions" || p.field in lists)) byField[p.field] = p.message ?? "";
        else other.push(p);
      }
      setFieldErrors(byField);
      setErrors(other);
      return;
    }
    setSaved(true);
    refetch({ requestPolicy: "network-only" });
  };

  if (!program) return <Text>{t("loading")}</Text>;
  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Box as="form" onSubmit={save} display="flex" flexDirection="column" gap={5} data-testid="loyalty-form">
        {SECTIONS.map((section) => (
          <Panel key={section.title} title={t(section.title)}>
            <div className="cv-grid">
              {section.fields.map((f) => {
                const label = t(`loyalty.field.${f.name}`) + (f.type === "money" ? ` (${program.earnAmount.currency})` : "");
                if (f.type === "bool") return (
                  <Checkbox key={f.name} checked={Boolean(values[f.name])} onCheckedChange={(v) => setValues({ ...values, [f.name]: v === true })} data-testid={`field-${f.name}`}>
                    <Text>{label}</Text>
                  </Checkbox>
                );
                if (f.options) return (
                  <NativeSelect key={f.name} label={label} value={values[f.name] ?? ""} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} options={f.options.map((o) => ({ value: o, label: t(`loyalty.option.${o}`) }))} />
                );
                if (f.name === "introText") return (
                  <Textarea key={f.name} label={label} value={values[f.name] ?? ""} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} error={Boolean(fieldErrors[f.name])} helperText={fieldErrors[f.name]} rows={3} />
                );
                return (
                  <Input key={f.name} label={label} value={values[f.name] ?? ""} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} error={Boolean(fieldErrors[f.name])} helperText={fieldErrors[f.name] ? <span data-testid={`field-error-${f.name}`}>{fieldErrors[f.name]}</span> : f.optional ? t("loyalty.emptyMeansNever") : undefined} data-testid={`field-${f.name}`} />
                );
              })}
            </div>
            {section.title === "loyalty.section.actions" && (
              <Textarea label={t("loyalty.field.customActions")} helperText={fieldErrors.customActions ?? t("loyalty.actionsFormat")} error={Boolean(fieldErrors.customActions)} value={actions} onChange={(e) => setActions(e.target.value)} rows={3} />
            )}
            {section.title === "loyalty.section.redeem" && (
              <div className="cv-grid">
                {LISTS.map((l) => (
                  <Box key={l} display="flex" flexDirection="column" gap={2}>
                    <Text size={3} fontWeight="bold">{t(`loyalty.field.${l}`)}</Text>
                    {(lists[l] ?? []).map((item) => (
                      <Box key={item.id} display="flex" justifyContent="space-between"><Text size={2}>{item.name}</Text>
                        <Button type="button" size="small" variant="tertiary" onClick={() => setLists({ ...lists, [l]: lists[l].filter((x) => x.id !== item.id) })}>{t("remove")}</Button></Box>
                    ))}
                    <CataloguePicker only={l.endsWith("Products") ? "product" : "category"} onPick={(p) => setLists({ ...lists, [l]: [...(lists[l] ?? []).filter((x) => x.id !== p.id), { id: p.id, name: p.name }] })} />
                    {fieldErrors[l] && <Text size={2} color="critical1">{fieldErrors[l]}</Text>}
                  </Box>
                ))}
              </div>
            )}
          </Panel>
        ))}
        <ErrorList errors={errors} />
        {saved && <Notice tone="success" testId="loyalty-saved">{t("loyalty.saved")}</Notice>}
        <Box display="flex" justifyContent="space-between" alignItems="center">
          <Text size={2} color="default2">{t("loyalty.updatedAt", { date: formatDateTime(program.updatedAt, locale) })}</Text>
          <Button type="submit" variant="primary" data-testid="loyalty-save">{t("save")}</Button>
        </Box>
      </Box>
      <EarnRules rules={program.earnRules as any} onChange={() => refetch({ requestPolicy: "network-only" })} />
    </Box>
  );
}

function EarnRules({ rules, onChange }: { rules: { mode: string; pointsPerUnit?: number | null; percent?: number | null; product?: { id: string; name: string } | null; category?: { id: string; name: string } | null }[]; onChange: () => void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [target, setTarget] = useState<Picked | null>(null);
  const [mode, setMode] = useState("FIXED");
  const [value, setValue] = useState("");
  const [errors, setErrors] = useState<any[] | null>(null);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return setErrors([{ message: t("rules.pickFirst") }]);
    const parsed = mode === "EXCLUDED" ? null : parseAmount(value, locale as any, mode === "PERCENT" ? 2 : 0);
    if (mode !== "EXCLUDED" && parsed === null) return setErrors([{ field: "value", message: t("booking.invalidAmount") }]);
    const input = { mode: mode as any, value: parsed, ...(target.type === "product" ? { productId: target.id } : { categoryId: target.id }) };
    const r = await client.mutation(EarnRuleSet, { input }).toPromise();
    const problems = r.error ? [{ message: r.error.message }] : r.data?.loyaltyEarnRuleSet?.customerValueErrors;
    if (problems?.length) return setErrors(problems);
    setErrors(null);
    setTarget(null);
    setValue("");
    onChange();
  };
  const remove = async (rule: (typeof rules)[number]) => {
    await client.mutation(EarnRuleDelete, { productId: rule.product?.id, categoryId: rule.category?.id }).toPromise();
    onChange();
  };

  return (
    <Panel title={t("rules.title")} testId="earn-rules">
      <Text color="default2">{t("rules.explain")}</Text>
      {rules.length > 0 && (
        <Table head={[t("rules.target"), t("rules.mode"), t("rules.value"), ""]}>
          {rules.map((r, i) => (
            <tr key={i}>
              <td>{r.product ? `${t("picker.product")}: ${r.product.name}` : `${t("picker.category")}: ${r.category?.name}`}</td>
              <td>{t(`rules.mode.${r.mode}`)}</td>
              <td className="num">{r.mode === "FIXED" ? r.pointsPerUnit : r.mode === "PERCENT" ? `${r.percent} %` : "–"}</td>
              <td><Button size="small" variant="tertiary" onClick={() => remove(r)}>{t("remove")}</Button></td>
            </tr>
          ))}
        </Table>
      )}
      <Box as="form" onSubmit={add} display="flex" flexDirection="column" gap={3}>
        {target ? <Text>{t(`picker.${target.type}`)}: <strong>{target.name}</strong></Text> : <CataloguePicker onPick={setTarget} testId="rule-picker" />}
        <div className="cv-row">
          <NativeSelect label={t("rules.mode")} value={mode} onChange={(e) => setMode(e.target.value)} options={["FIXED", "PERCENT", "EXCLUDED"].map((m) => ({ value: m, label: t(`rules.mode.${m}`) }))} />
          {mode !== "EXCLUDED" && <Input label={mode === "FIXED" ? t("rules.pointsPerUnit") : t("rules.percent")} value={value} onChange={(e) => setValue(e.target.value)} />}
        </div>
        <ErrorList errors={errors} />
        <Box display="flex" justifyContent="flex-end"><Button type="submit" variant="secondary">{t("rules.save")}</Button></Box>
      </Box>
    </Panel>
  );
}
