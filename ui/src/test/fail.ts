// How every fake backend fails: a BackendError shaped as the real backend's,
// with `field` named as the core names it — "invalid <field>: …" for
// invalid input, "(<field>)" in a refusal the fake sync server words.
import { BackendError } from "../lib/backend";

export function fail(code: string, message: string): never {
  const named =
    code === "invalid_input" ? /^invalid (\w+):/.exec(message) : code === "server_rejected" ? /\((\w+)\)/.exec(message) : null;
  throw new BackendError({ code, message, field: named?.[1] ?? null });
}
