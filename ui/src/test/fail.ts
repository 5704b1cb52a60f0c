// How every fake backend fails: a BackendError shaped as the real backend's,
// with `field` named as the core names it — "invalid <field>: …" for
// invalid input, or given (a server refusal's field, `server_url`).
import { BackendError } from "../lib/backend";

export function fail(code: string, message: string, field?: string): never {
  const named = code === "invalid_input" ? /^invalid (\w+):/.exec(message) : null;
  throw new BackendError({ code, message, field: field ?? named?.[1] ?? null });
}
