// An in-memory Backend for UI tests: behaves like the real core for the
// commands the UI uses (defaults, patches, validation errors by code).
import { BackendError, type Backend } from "../lib/backend";
import type { Profile } from "../lib/bindings/Profile";
import type { Settings } from "../lib/bindings/Settings";

export function fakeBackend(initial?: Partial<Settings>): Backend & { settings: Settings } {
  const state = {
    settings: { language: "ko", theme: "system", ...initial } as Settings,
    profile: null as Profile | null,
  };
  return {
    get settings() {
      return state.settings;
    },
    appInfo: async () => ({ version: "0.1.0", dataDir: "/tmp/tutti-test", schemaVersion: 2 }),
    settingsGet: async () => ({ ...state.settings }),
    settingsUpdate: async (patch) => {
      state.settings = {
        language: patch.language ?? state.settings.language,
        theme: patch.theme ?? state.settings.theme,
      };
      return { ...state.settings };
    },
    profileGet: async () => state.profile,
    profileSave: async (input) => {
      if (!input.displayName.trim()) {
        throw new BackendError({
          code: "invalid_input",
          message: "invalid displayName: must not be empty",
        });
      }
      state.profile = { ...input, displayName: input.displayName.trim(), accountId: null };
      return state.profile;
    },
  };
}
