// What the UI says about an error: the text for its `code` in the UI's
// language (i18nErrors.ts), never the backend's own English message.
import { errorCodes } from "./bindings/ErrorCode";
import type { MessageKey, Translate } from "./i18n";
import { errorFields } from "./i18nErrors";

const known = new Set<string>([...errorCodes, "ipc"]);
const fields = new Set<string>(errorFields);

/** The error's code, when the backend gave one. */
export function errorCode(e: unknown): string | null {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") {
    return e.code;
  }
  return null;
}

/** The UI's text for `code` (`error.unknown` for a code this UI does not know). */
export function messageFor(code: string | null, t: Translate): string {
  return t((code !== null && known.has(code) ? `error.${code}` : "error.unknown") as MessageKey);
}

/** The input field the error names (snake_case), when there is one. */
export function errorField(e: unknown): string | null {
  if (typeof e === "object" && e !== null && "field" in e && typeof e.field === "string") {
    return e.field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  }
  return null;
}

/**
 * The error's code and what the UI says about it, in the UI's language,
 * with the name of the field it is about when the UI knows that field.
 */
export function describe(e: unknown, t: Translate): { code: string | null; message: string } {
  const code = errorCode(e);
  const field = errorField(e);
  const message = messageFor(code, t);
  return {
    code,
    message: field && fields.has(field) ? `${message} (${t(`field.${field}` as MessageKey)})` : message,
  };
}
