import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { FormEvent, useState } from "react";
import { Notice } from "../../shared/components";
import { useAuth } from "../../shared/auth";
import { useI18n } from "../../shared/i18n";
import { LanguageSwitch } from "../App";

export function LoginPage() {
  const { login } = useAuth();
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await login(email.trim(), password);
    setBusy(false);
    setError(problem === "notStaff" ? t("login.notStaff") : problem ? t("login.failed") : null);
  };

  return (
    <Box display="flex" alignItems="center" justifyContent="center" __minHeight="100vh" backgroundColor="default2">
      <Box as="form" onSubmit={submit} backgroundColor="default1" padding={8} borderRadius={4} display="flex" flexDirection="column" gap={4} __width="380px" borderStyle="solid" borderWidth={1} borderColor="default1">
        <Text size={8} fontWeight="bold" as="h1">{t("app.name")}</Text>
        <Text color="default2">{t("login.intro")}</Text>
        <Input label={t("login.email")} type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
        <Input label={t("login.password")} type="password" name="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        {error && <Notice tone="error" testId="login-error">{error}</Notice>}
        <Button type="submit" variant="primary" disabled={busy} data-testid="login-submit">{t("login.submit")}</Button>
        <LanguageSwitch />
      </Box>
    </Box>
  );
}
