import { FormEvent, useEffect, useState } from "react";
import { useClient, useQuery } from "urql";
import { ErrorList, Notice } from "../../shared/components";
import { useI18n } from "../../shared/i18n";
import { MyNotificationPreferences, UpdateNotificationPreferences } from "../queries";

type Err = { field?: string | null; message?: string | null; code?: string | null };

/** E-mail settings: the language of the shop's e-mails and the two opt-outs. The boxes
 * say what the shopper receives (checked = wanted); the API stores opt-outs. */
export function SettingsPage() {
  const { t } = useI18n();
  const client = useClient();
  const [{ data, error }] = useQuery({ query: MyNotificationPreferences });
  const prefs = data?.myNotificationPreferences;
  const [language, setLanguage] = useState("");
  const [marketing, setMarketing] = useState(true);
  const [transactional, setTransactional] = useState(true);
  const [errors, setErrors] = useState<Err[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!prefs) return;
    setLanguage(prefs.language);
    setMarketing(!prefs.marketingOptOut);
    setTransactional(!prefs.transactionalOptOut);
  }, [prefs?.language, prefs?.marketingOptOut, prefs?.transactionalOptOut]);

  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data) return <p className="acc-muted">{t("acc.loading")}</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const result = await client.mutation(UpdateNotificationPreferences, { language, marketing: !marketing, transactional: !transactional }).toPromise();
    setBusy(false);
    const payload = result.data?.myNotificationPreferencesUpdate;
    if (result.error || !payload || payload.customerValueErrors.length) {
      setErrors(payload?.customerValueErrors ?? [{ message: result.error?.message ?? t("acc.error") }]);
      return;
    }
    setErrors([]);
    setSaved(true);
  };
  const change = <T,>(set: (v: T) => void) => (v: T) => { set(v); setSaved(false); };
  const shopDefault = prefs && !prefs.language ? (["de", "en"].includes(prefs.effectiveLanguage) ? t(`acc.settings.lang.${prefs.effectiveLanguage}`) : prefs.effectiveLanguage) : null;

  return (
    <form className="acc-card" onSubmit={submit} aria-labelledby="settings-h" data-testid="settings-form">
      <h2 id="settings-h">{t("acc.settings.title")}</h2>
      <p className="acc-muted">{t("acc.settings.intro")}</p>
      <label className="cv-field" style={{ maxWidth: 360 }}>
        <span>{t("acc.settings.language")}</span>
        <select value={language} onChange={(e) => change(setLanguage)(e.target.value)} data-testid="settings-language">
          <option value="">{shopDefault ? t("acc.settings.lang.defaultIs", { language: shopDefault }) : t("acc.settings.lang.default")}</option>
          <option value="de">{t("acc.settings.lang.de")}</option>
          <option value="en">{t("acc.settings.lang.en")}</option>
        </select>
      </label>
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 12 }}>
        <legend style={{ fontWeight: 600, marginBottom: 8 }}>{t("acc.settings.emails")}</legend>
        <label className="acc-check">
          <input type="checkbox" checked={transactional} onChange={(e) => change(setTransactional)(e.target.checked)} data-testid="settings-transactional" />
          <span><strong>{t("acc.settings.transactional")}</strong><br /><span className="acc-muted">{t("acc.settings.transactionalHint")}</span></span>
        </label>
        <label className="acc-check">
          <input type="checkbox" checked={marketing} onChange={(e) => change(setMarketing)(e.target.checked)} data-testid="settings-marketing" />
          <span><strong>{t("acc.settings.marketing")}</strong><br /><span className="acc-muted">{t("acc.settings.marketingHint")}</span></span>
        </label>
      </fieldset>
      <div className="acc-row">
        <button type="submit" className="acc-btn" disabled={busy} data-testid="settings-save">{t("acc.settings.save")}</button>
      </div>
      <ErrorList errors={errors} />
      {saved && <Notice tone="success" testId="settings-saved">{t("acc.settings.saved")}</Notice>}
    </form>
  );
}
