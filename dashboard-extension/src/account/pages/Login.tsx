import { FormEvent, useState } from "react";
import { useClient } from "urql";
import { Notice } from "../../shared/components";
import { useAuth } from "../../shared/auth";
import { setToken } from "../../shared/auth-store";
import { useI18n } from "../../shared/i18n";
import { LanguageSwitch } from "../App";
import { accountConfig } from "../handover";
import { RequestPasswordReset, SetPassword } from "../queries";

function Field(props: { label: string; type: string; value: string; onChange: (v: string) => void; autoComplete: string; testId: string }) {
  return (
    <label className="cv-field">
      <span>{props.label}</span>
      <input type={props.type} value={props.value} onChange={(e) => props.onChange(e.target.value)} autoComplete={props.autoComplete} required data-testid={props.testId} />
    </label>
  );
}

export function LoginPage() {
  const { login } = useAuth();
  const { t } = useI18n();
  const client = useClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await login(email.trim(), password);
    setBusy(false);
    setError(problem ? t("acc.login.failed") : null);
  };

  // Saleor's own flow: it e-mails a link to redirectUrl?email=..&token=.. (the reset page).
  const forgot = async () => {
    if (!email.trim()) { setError(t("acc.login.emailFirst")); return; }
    const redirectUrl = accountConfig().passwordResetUrl || `${window.location.origin}${window.location.pathname}#/reset`;
    const result = await client.mutation(RequestPasswordReset, { email: email.trim(), redirectUrl }).toPromise();
    const problem = result.error?.message ?? result.data?.requestPasswordReset?.accountErrors?.[0]?.message;
    setError(problem ?? null);
    setSent(!problem);
  };

  return (
    <div className="acc-shell">
      <form className="acc-card acc-login" onSubmit={submit}>
        <h2>{t("acc.title")}</h2>
        <p className="acc-muted">{t("acc.login.intro")}</p>
        <Field label={t("login.email")} type="email" value={email} onChange={setEmail} autoComplete="username" testId="login-email" />
        <Field label={t("login.password")} type="password" value={password} onChange={setPassword} autoComplete="current-password" testId="login-password" />
        {error && <Notice tone="error" testId="login-error">{error}</Notice>}
        {sent && <Notice tone="success" testId="reset-sent">{t("acc.login.resetSent")}</Notice>}
        <button type="submit" className="acc-btn" disabled={busy} data-testid="login-submit">{t("login.submit")}</button>
        <button type="button" className="acc-btn secondary" onClick={forgot} data-testid="forgot-password">{t("acc.login.forgot")}</button>
        <LanguageSwitch />
      </form>
    </div>
  );
}

/** The page Saleor's reset e-mail links to: a new password, then logged in. */
export function ResetPage() {
  const { t } = useI18n();
  const client = useClient();
  const params = new URLSearchParams(window.location.search);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await client.mutation(SetPassword, { email: params.get("email") ?? "", token: params.get("token") ?? "", password }).toPromise();
    const token = result.data?.setPassword?.token;
    if (!token) { setError(result.data?.setPassword?.accountErrors?.[0]?.message ?? result.error?.message ?? t("acc.login.failed")); return; }
    setToken(token);
    window.location.replace(window.location.pathname + "#/wallet");
    window.location.reload();
  };

  return (
    <div className="acc-shell">
      <form className="acc-card acc-login" onSubmit={submit}>
        <h2>{t("acc.reset.title")}</h2>
        <Field label={t("acc.reset.password")} type="password" value={password} onChange={setPassword} autoComplete="new-password" testId="reset-password" />
        {error && <Notice tone="error" testId="reset-error">{error}</Notice>}
        <button type="submit" className="acc-btn" data-testid="reset-submit">{t("acc.reset.submit")}</button>
      </form>
    </div>
  );
}
