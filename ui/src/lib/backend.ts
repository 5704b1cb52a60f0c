// The one module of the UI that calls Tauri's `invoke`. Everything else talks
// to the typed `Backend` interface, so tests can pass a fake backend and the
// real app passes `tauriBackend`.
import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { Profile } from "./bindings/Profile";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { Settings } from "./bindings/Settings";
import type { SettingsPatch } from "./bindings/SettingsPatch";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  settingsGet(): Promise<Settings>;
  settingsUpdate(patch: SettingsPatch): Promise<Settings>;
  profileGet(): Promise<Profile | null>;
  profileSave(input: ProfileInput): Promise<Profile>;
}

/** An error from the backend, with the stable `code` to branch on. */
export class BackendError extends Error {
  readonly code: string;
  constructor(err: ApiError) {
    super(err.message);
    this.code = err.code;
  }
}

function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === "object" && e !== null && "code" in e && "message" in e
  );
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw isApiError(e)
      ? new BackendError(e)
      : new BackendError({ code: "ipc", message: String(e) });
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call("app_info"),
  settingsGet: () => call("settings_get"),
  settingsUpdate: (patch) => call("settings_update", { patch }),
  profileGet: () => call("profile_get"),
  profileSave: (input) => call("profile_save", { input }),
};
