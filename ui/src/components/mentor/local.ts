// Helpers shared by the mentor components.
import type { Language } from "../../lib/bindings/Language";
import type { LocalText } from "../../lib/bindings/LocalText";
import type { MentorLevel } from "../../lib/bindings/MentorLevel";
import type { MessageKey } from "../../lib/i18n";

/** The text in the UI's language. */
export function pick(text: LocalText, lang: Language): string {
  return lang === "en" ? text.en : text.ko;
}

export function levelKey(level: MentorLevel): MessageKey {
  return `level.${level}`;
}
