// Verdict colours (the same as tutti-score's MusicXML export) and labels.
import type { NoteVerdict } from "../../lib/bindings/NoteVerdict";
import type { MessageKey } from "../../lib/i18n";

export const VERDICTS: readonly NoteVerdict[] = [
  "right",
  "sharp",
  "flat",
  "early",
  "late",
  "missed",
  "extra",
];

export const verdictColour: Record<NoteVerdict, string> = {
  right: "#2E7D32",
  sharp: "#C62828",
  flat: "#1565C0",
  early: "#EF6C00",
  late: "#6A1B9A",
  missed: "#9E9E9E",
  extra: "#795548",
};

export const verdictLabel = (v: NoteVerdict): MessageKey => `verdict.${v}`;
