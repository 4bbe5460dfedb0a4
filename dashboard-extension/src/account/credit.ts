// What the "Pay later" page says about a credit line and its statements (pure, tested).

export type LineState = "overdue" | "suspended" | "closed" | "active";

export function lineState(line: { status: string; overdue: boolean }): LineState {
  if (line.status === "CLOSED") return "closed";
  if (line.overdue) return "overdue";
  if (line.status === "SUSPENDED") return "suspended";
  return "active";
}

export type StatementState = "overdue" | "open" | "paid";

export function statementState(statement: { status: string; overdue: boolean }): StatementState {
  if (statement.status === "PAID") return "paid";
  return statement.overdue ? "overdue" : "open";
}

/** Percent of the limit in use (booked or reserved), 0..100; a zero limit counts as full. */
export function usedPercent(limit: number, available: number): number {
  if (limit <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round(((limit - available) / limit) * 100)));
}

/** Money amounts arrive as floats; what is still owed on a statement, in cents-exact form. */
export function remaining(amountDue: number, paid: number): number {
  return Math.max(0, Math.round((amountDue - paid) * 100) / 100);
}
