import "@saleor/macaw-ui/style";
import "../shared/styles.css";
import { ThemeProvider } from "@saleor/macaw-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "urql";
import { AuthProvider } from "../shared/auth";
import { makeClient } from "../shared/graphql/client";
import { I18nProvider } from "../shared/i18n";
import { App } from "./App";
import { staffCatalogs } from "./catalogs";

const client = makeClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider defaultTheme="defaultLight">
      <I18nProvider extra={staffCatalogs}>
        <Provider value={client}>
          <AuthProvider>
            <App />
          </AuthProvider>
        </Provider>
      </I18nProvider>
    </ThemeProvider>
  </StrictMode>,
);
