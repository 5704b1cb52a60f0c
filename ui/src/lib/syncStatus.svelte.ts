// The chat sync status, subscribed once per backend (the shell keeps one
// status stream across logins) and shared by every component that shows it.
import type { Backend } from "./backend";
import type { SyncStatus } from "./bindings/SyncStatus";

const watched = new WeakMap<Backend, { status: SyncStatus }>();

export function syncStatusOf(backend: Backend): { status: SyncStatus } {
  let box = watched.get(backend);
  if (!box) {
    const created = $state({
      status: { state: "offline", lastError: null, remoteChanges: 0 } as SyncStatus,
    });
    box = created;
    watched.set(backend, created);
    backend
      .chatSyncWatch((s) => {
        created.status = s;
      })
      .catch(() => {
        created.status = { ...created.status, state: "error" };
      });
  }
  return box;
}
