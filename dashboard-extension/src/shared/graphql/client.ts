import { Client, cacheExchange, fetchExchange, mapExchange } from "urql";
import { getToken, setToken } from "../auth-store";
import { detectLocale } from "../i18n";

// Same origin as the console: the shop serves both, so no CORS set-up.
export const GRAPHQL_URL = "/graphql/";
const EXPIRED = /signature has expired|error decoding signature|invalid token/i;

export function makeClient(onLoggedOut: () => void = () => window.location.reload()): Client {
  return new Client({
    url: GRAPHQL_URL,
    // Saleor answers GET requests with its API explorer page: always POST.
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange,
      // A token that expired or was revoked: back to the login page.
      mapExchange({
        onError(error) {
          if (getToken() && error.graphQLErrors.some((e) => EXPIRED.test(e.message))) {
            setToken(null);
            onLoggedOut();
          }
        },
      }),
      fetchExchange,
    ],
    fetchOptions: () => {
      const token = getToken();
      // The server answers (errors, labels, card files) in the page's language.
      const headers: Record<string, string> = { "Accept-Language": detectLocale() };
      if (token) headers.Authorization = `JWT ${token}`;
      return { headers };
    },
  });
}
