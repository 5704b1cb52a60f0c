// The app's screens, in navigation order. `landed` says whether the feature
// behind a screen exists yet; screens that have not landed show an honest
// "coming soon" state instead of made-up data.
import type { MessageKey } from "./i18n";

export type ScreenId =
  | "home"
  | "mentor"
  | "practice"
  | "mentors"
  | "chats"
  | "community"
  | "courses"
  | "settings";

export interface ScreenDef {
  id: ScreenId;
  label: MessageKey;
  icon: string;
  /** Text for the coming-soon state, for screens that have not landed. */
  soon?: MessageKey;
}

export const screens: readonly ScreenDef[] = [
  { id: "home", label: "nav.home", icon: "⌂" },
  { id: "mentor", label: "nav.mentor", icon: "✦" },
  { id: "practice", label: "nav.practice", icon: "♪" },
  { id: "mentors", label: "nav.mentors", icon: "☺" },
  { id: "chats", label: "nav.chats", icon: "✉" },
  { id: "community", label: "nav.community", icon: "?" },
  { id: "courses", label: "nav.courses", icon: "▤" },
  { id: "settings", label: "nav.settings", icon: "⚙" },
];
