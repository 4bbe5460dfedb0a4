import automationsDe from "./automations/de.json";
import automationsEn from "./automations/en.json";
import reportsDe from "./reports/de.json";
import reportsEn from "./reports/en.json";

/** The staff console's own catalogs on top of the shared ones (new pages keep theirs
 * next to their code; catalogs.test.ts checks them like the shared ones). */
export const staffCatalogs = {
  en: { ...reportsEn, ...automationsEn },
  de: { ...reportsDe, ...automationsDe },
};
