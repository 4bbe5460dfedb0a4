import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { useClient } from "urql";
import { getToken, setToken } from "./auth-store";
import { Me, TokenCreate, TokenRefresh } from "./queries";

export type Permission = "MANAGE_WALLETS" | "MANAGE_LOYALTY" | "MANAGE_CARDS" | "VIEW_LEDGER" | "USE_POS" | string;

interface StaffUser {
  email: string;
  name: string;
  permissions: Set<Permission>;
}

interface Auth {
  user: StaffUser | null;
  loading: boolean;
  login: (email: string, password: string) => Promise<string | null>;
  logout: () => void;
  can: (permission: Permission) => boolean;
}

const AuthContext = createContext<Auth | null>(null);
const REFRESH_MS = 4 * 60 * 1000; // Saleor's tokens live 5 minutes when expiry is on

/** `audience`: the staff console admits staff only; the customer area any shop account. */
export function AuthProvider({ children, audience = "staff" }: { children: ReactNode; audience?: "staff" | "shopper" }) {
  const client = useClient();
  const [user, setUser] = useState<StaffUser | null>(null);
  const [loading, setLoading] = useState(true);

  const loadMe = useCallback(async () => {
    if (!getToken()) {
      setUser(null);
      setLoading(false);
      return null;
    }
    const result = await client.query(Me, {}, { requestPolicy: "network-only" }).toPromise();
    const me = result.data?.me;
    if (!me || (audience === "staff" && !me.isStaff)) {
      setToken(null);
      setUser(null);
      setLoading(false);
      return me ? "notStaff" : null;
    }
    setUser({
      email: me.email,
      name: [me.firstName, me.lastName].filter(Boolean).join(" ") || me.email,
      permissions: new Set((me.userPermissions ?? []).map((p) => p?.code as string)),
    });
    setLoading(false);
    return null;
  }, [client, audience]);

  useEffect(() => {
    loadMe();
  }, [loadMe]);

  useEffect(() => {
    if (!user) return;
    const timer = setInterval(async () => {
      const token = getToken();
      if (!token) return;
      const result = await client.mutation(TokenRefresh, { token }).toPromise();
      if (result.data?.tokenRefresh?.token) setToken(result.data.tokenRefresh.token);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [client, user]);

  const login = useCallback(
    async (email: string, password: string) => {
      const result = await client.mutation(TokenCreate, { email, password }).toPromise();
      const token = result.data?.tokenCreate?.token;
      if (!token) return result.data?.tokenCreate?.accountErrors?.[0]?.message ?? result.error?.message ?? "error";
      setToken(token);
      return loadMe();
    },
    [client, loadMe],
  );

  const logout = useCallback(() => {
    setToken(null);
    setUser(null);
  }, []);

  const value = useMemo(
    () => ({ user, loading, login, logout, can: (p: Permission) => Boolean(user?.permissions.has(p)) }),
    [user, loading, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
