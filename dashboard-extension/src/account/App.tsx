import { useEffect } from "react";
import { useQuery } from "urql";
import { useAuth } from "../shared/auth";
import { useI18n } from "../shared/i18n";
import type { Locale } from "../shared/format";
import { navigate, useRoute } from "../shared/router";
import { CardPage } from "./pages/Card";
import { CreditPage } from "./pages/Credit";
import { LoginPage, ResetPage } from "./pages/Login";
import { PointsPage } from "./pages/Points";
import { RewardsPage } from "./pages/Rewards";
import { SettingsPage } from "./pages/Settings";
import { WalletPage } from "./pages/Wallet";
import { MyCreditLineIds } from "./queries";

const SECTIONS = ["wallet", "points", "card", "rewards", "credit", "settings"];

/** "Pay later" is in the menu only for shoppers who have a credit line. */
function useSections(): string[] {
  const [{ data }] = useQuery({ query: MyCreditLineIds });
  const hasCredit = (data?.myCreditLines.length ?? 0) > 0;
  return SECTIONS.filter((s) => s !== "credit" || hasCredit);
}

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="cv-field" style={{ flexDirection: "row", alignItems: "center", gap: 6 }}>
      <span>{t("language")}</span>
      <select data-testid="language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        <option value="en">English</option>
        <option value="de">Deutsch</option>
      </select>
    </label>
  );
}

export function App() {
  const { user, loading } = useAuth();
  const { t, locale } = useI18n();
  const route = useRoute();

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t("acc.title");
  }, [locale, t]);

  if (loading) return null;
  const [section = "wallet"] = route;
  if (!user) return section === "reset" ? <ResetPage /> : <LoginPage />;
  return <Shell section={section} />;
}

function Shell({ section }: { section: string }) {
  const { user, logout } = useAuth();
  const { t } = useI18n();
  const sections = useSections();

  let page;
  if (section === "points") page = <PointsPage />;
  else if (section === "card") page = <CardPage />;
  else if (section === "rewards") page = <RewardsPage />;
  else if (section === "credit") page = <CreditPage />;
  else if (section === "settings") page = <SettingsPage />;
  else page = <WalletPage />;

  return (
    <div className="acc-shell">
      <header className="acc-top">
        <h1>{t("acc.title")}</h1>
        <LanguageSwitch />
        <span className="acc-muted" data-testid="current-user">{user?.email}</span>
        <button className="acc-btn secondary" onClick={() => { logout(); navigate("wallet"); }} data-testid="logout">{t("logout")}</button>
      </header>
      <nav className="acc-nav" aria-label={t("acc.nav")}>
        {sections.map((s) => (
          <a key={s} href={`#/${s}`} className={section === s ? "active" : ""} aria-current={section === s ? "page" : undefined} data-testid={`nav-${s}`}>
            {t(`acc.nav.${s}`)}
          </a>
        ))}
      </nav>
      <main className="acc-main">{page}</main>
    </div>
  );
}
