import { useEffect, useState } from "react";

// Hash routes (#/customers/<id>): the shop serves one HTML page for the whole console,
// and a reload keeps the page staff were on.
export function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export const navigate = (...parts: string[]) => {
  window.location.hash = "/" + parts.map(encodeURIComponent).join("/");
};
