import { Box, Button, Text } from "@saleor/macaw-ui";
import { ReactNode, SelectHTMLAttributes } from "react";
import { useAuth, type Permission } from "../auth";
import { useI18n } from "../i18n";

export function Panel({ title, children, actions, testId }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <Box
      data-testid={testId}
      backgroundColor="default1"
      borderColor="default1"
      borderStyle="solid"
      borderWidth={1}
      borderRadius={4}
      padding={5}
      display="flex"
      flexDirection="column"
      gap={3}
    >
      {(title || actions) && (
        <Box display="flex" justifyContent="space-between" alignItems="center" gap={3}>
          {title && <Text size={6} fontWeight="bold" as="h2">{title}</Text>}
          {actions}
        </Box>
      )}
      {children}
    </Box>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <Box display="flex" justifyContent="space-between" alignItems="center" marginBottom={5}>
      <Text size={9} fontWeight="bold" as="h1">{children}</Text>
      {actions}
    </Box>
  );
}

export function NativeSelect({ label, options, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: { value: string; label: string }[] }) {
  return (
    <label className="cv-field">
      <span>{label}</span>
      <select {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </label>
  );
}

export function Notice({ tone = "info", children, testId }: { tone?: "info" | "error" | "success" | "warning"; children: ReactNode; testId?: string }) {
  return (
    <div className={`cv-notice cv-notice-${tone}`} role={tone === "error" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}

export function ErrorList({ errors }: { errors?: ({ field?: string | null; message?: string | null } | null)[] | null }) {
  if (!errors?.length) return null;
  return (
    <Notice tone="error" testId="form-errors">
      {errors.map((e, i) => (
        <div key={i}>{e?.field ? <strong>{e.field}: </strong> : null}{e?.message}</div>
      ))}
    </Notice>
  );
}

/** Children only for staff holding `permission`; otherwise an explanation. */
export function RequirePermission({ permission, what, children }: { permission: Permission | Permission[]; what: string; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useI18n();
  const needed = Array.isArray(permission) ? permission : [permission];
  if (needed.some((p) => can(p))) return <>{children}</>;
  return (
    <Notice tone="warning" testId={`missing-permission-${needed[0]}`}>
      {t("permission.missing", { what, permission: needed.join(t("permission.or")) })}
    </Notice>
  );
}

export function Submit({ children, busy, ...props }: { children: ReactNode; busy?: boolean } & React.ComponentProps<typeof Button>) {
  return (
    <Button type="submit" variant="primary" disabled={busy || props.disabled} {...props}>
      {children}
    </Button>
  );
}

export function Table({ head, children, testId }: { head: ReactNode[]; children: ReactNode; testId?: string }) {
  return (
    <div className="cv-table-wrap">
      <table className="cv-table" data-testid={testId}>
        <thead>
          <tr>{head.map((h, i) => <th key={i}>{h}</th>)}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div className="cv-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-label={label}>
      <div className="cv-progress-bar" style={{ width: `${value}%` }} />
      <span>{value} %</span>
    </div>
  );
}
