import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect } from "react";
import { useAuth } from "../shared/auth";
import { useI18n } from "../shared/i18n";
import type { Locale } from "../shared/format";
import { navigate, useRoute } from "../shared/router";
import { CardsPage } from "./pages/Cards";
import { CustomerPage } from "./pages/Customer";
import { CustomerSearchPage } from "./pages/CustomerSearch";
import { LedgerPage } from "./pages/Ledger";
import { LoginPage } from "./pages/Login";
import { LoyaltyPage } from "./pages/Loyalty";
import { OrdersPage } from "./pages/Orders";
import { ReportsPage } from "./reports/ReportsPage";
import { AutomationsPage } from "./automations/AutomationsPage";
import { PartnersPage } from "./partners/PartnersPage";

const SECTIONS = [
  { key: "customers", label: "nav.customers" },
  { key: "cards", label: "nav.cards" },
  { key: "loyalty", label: "nav.loyalty" },
  { key: "ledger", label: "nav.ledger" },
  { key: "reports", label: "nav.reports" },
  { key: "automations", label: "nav.automations" },
  { key: "orders", label: "nav.orders" },
  { key: "partners", label: "nav.partners" },
];

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
  const { user, loading, logout } = useAuth();
  const { t, locale } = useI18n();
  const route = useRoute();

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t("app.title");
  }, [locale, t]);

  if (loading) return null;
  if (!user) return <LoginPage />;

  const [section = "customers", ...rest] = route;
  let page;
  if (section === "customers" && rest[0]) page = <CustomerPage id={rest[0]} />;
  else if (section === "cards") page = <CardsPage />;
  else if (section === "loyalty") page = <LoyaltyPage />;
  else if (section === "ledger") page = <LedgerPage />;
  else if (section === "orders") page = <OrdersPage />;
  else if (section === "reports") page = <ReportsPage />;
  else if (section === "automations") page = <AutomationsPage />;
  else if (section === "partners") page = <PartnersPage />;
  else page = <CustomerSearchPage />;

  return (
    <Box display="flex" __minHeight="100vh" backgroundColor="default1">
      <Box as="nav" className="cv-nav" __width="220px" padding={4} borderRightStyle="solid" borderRightWidth={1} borderColor="default1" display="flex" flexDirection="column" gap={1}>
        <Box paddingX={3} paddingY={4}>
          <Text size={6} fontWeight="bold">{t("app.name")}</Text>
        </Box>
        {SECTIONS.map((s) => (
          <a key={s.key} href={`#/${s.key}`} className={section === s.key ? "active" : ""} data-testid={`nav-${s.key}`}>
            {t(s.label)}
          </a>
        ))}
        <Box marginTop="auto" display="flex" flexDirection="column" gap={3} paddingX={3}>
          <LanguageSwitch />
          <Text size={2} color="default2" data-testid="current-user">{user.email}</Text>
          <Button variant="secondary" size="small" onClick={() => { logout(); navigate("customers"); }} data-testid="logout">
            {t("logout")}
          </Button>
        </Box>
      </Box>
      <Box as="main" flexGrow="1" padding={8} backgroundColor="default2" __minWidth="0">
        {page}
      </Box>
    </Box>
  );
}
