// Helpers shared by the community components.
import type { Language } from "../../lib/bindings/Language";
import type { MessageKey, Translate } from "../../lib/i18n";
import { BackendError } from "../../lib/backend";

/** The fields a post form shows errors for. */
export type PostField = "title" | "body" | "hobby";

const FIELDS: readonly PostField[] = ["title", "body", "hobby"];

/** For an `invalid_input` error about one of the form's fields: that field
 * (the error's `field`). */
export function fieldOf(e: unknown): PostField | null {
  if (!(e instanceof BackendError) || e.code !== "invalid_input") return null;
  return FIELDS.find((f) => f === e.field) ?? null;
}

export function fieldErrorKey(field: PostField): MessageKey {
  return `community.error.${field}`;
}

/** The author's name as shown: "me" for one's own post, else the name the
 * server last reported. */
export function authorName(t: Translate, name: string | null, mine: boolean): string {
  if (mine) return t("community.me");
  return name ?? t("community.unknownUser");
}

export function when(ms: number, lang: Language): string {
  return new Date(ms).toLocaleString(lang === "en" ? "en-US" : "ko-KR", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}
