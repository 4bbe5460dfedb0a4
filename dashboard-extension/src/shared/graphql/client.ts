import { Client, cacheExchange, fetchExchange } from "urql";
import { getToken } from "../auth-store";

// Same origin as the console: the shop serves both, so no CORS set-up.
export const GRAPHQL_URL = "/graphql/";

export function makeClient(): Client {
  return new Client({
    url: GRAPHQL_URL,
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: "cache-and-network",
    // Saleor answers GET requests with its API explorer page: always POST.
    preferGetMethod: false,
    fetchOptions: () => {
      const token = getToken();
      const headers: Record<string, string> = token ? { Authorization: `JWT ${token}` } : {};
      return { headers };
    },
  });
}
