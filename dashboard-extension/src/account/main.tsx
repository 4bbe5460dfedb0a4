import "@saleor/macaw-ui/style";
import "../shared/styles.css";
import "./account.css";
import { ThemeProvider } from "@saleor/macaw-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "urql";
import { AuthProvider } from "../shared/auth";
import { makeClient } from "../shared/graphql/client";
import { I18nProvider } from "../shared/i18n";
import { App } from "./App";
import { takeTokenFromUrl } from "./handover";
import de from "./i18n/de.json";
import en from "./i18n/en.json";

takeTokenFromUrl();
const client = makeClient();
const catalogs = { en, de };

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider defaultTheme="defaultLight">
      <I18nProvider extra={catalogs}>
        <Provider value={client}>
          <AuthProvider audience="shopper">
            <App />
          </AuthProvider>
        </Provider>
      </I18nProvider>
    </ThemeProvider>
  </StrictMode>,
);
