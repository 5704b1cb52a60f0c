// Every error code the backend can return (bindings/ErrorCode.ts, generated
// from the Rust error enums of the core, the LLM client, the sync server, the
// microphone and the shell) has its own Korean and English text, and the UI
// never shows the backend's English message in the Korean UI.
import { render, screen } from "@testing-library/svelte";
import App from "../App.svelte";
import { BackendError } from "../lib/backend";
import { errorCodes } from "../lib/bindings/ErrorCode";
import { describe as explain, messageFor } from "../lib/errors";
import { messages, translator, type MessageKey } from "../lib/i18n";
import { fakeBackend } from "./fakeBackend";

const HANGUL = /[\uAC00-\uD7A3]/;

describe("error messages", () => {
  it("has a Korean and an English text for every code the backend can return", () => {
    expect(errorCodes.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const code of [...errorCodes, "ipc", "unknown"]) {
      const key = `error.${code}` as MessageKey;
      const ko = messages.ko[key];
      const en = messages.en[key];
      if (!ko || !HANGUL.test(ko)) missing.push(`ko:${code}`);
      if (!en || HANGUL.test(en) || en.trim() === "") missing.push(`en:${code}`);
    }
    expect(missing, "codes without a translation").toEqual([]);
  });

  it("covers the codes of every part of the backend", () => {
    for (const code of [
      "not_signed_in",
      "insecure_transport",
      "llm_unauthorized",
      "server_email_taken",
      "server_too_many_attempts",
      "capture_permission_denied",
      "recording",
    ]) {
      expect(errorCodes).toContain(code);
    }
  });

  it("says the UI's own text, not the backend's message", () => {
    const backendText = "an account with this email already exists";
    const e = new BackendError({ code: "server_email_taken", message: backendText });
    const ko = explain(e, translator("ko"));
    expect(ko.code).toBe("server_email_taken");
    expect(ko.message).toBe(messages.ko["error.server_email_taken"]);
    expect(ko.message).not.toContain(backendText);
    expect(explain(e, translator("en")).message).toBe(messages.en["error.server_email_taken"]);
  });

  it("falls back to a generic text for a code this UI does not know", () => {
    const e = new BackendError({ code: "from_a_newer_core", message: "some English" });
    expect(explain(e, translator("ko")).message).toBe(messages.ko["error.unknown"]);
    expect(explain(new TypeError("x is undefined"), translator("ko")).message).toBe(
      messages.ko["error.unknown"],
    );
    expect(messageFor(null, translator("en"))).toBe(messages.en["error.unknown"]);
  });

  it("shows a failing start in Korean, without the backend's words", async () => {
    const backend = fakeBackend();
    backend.settingsGet = async () => {
      throw new BackendError({
        code: "database",
        message: "database error: disk I/O error",
      });
    };
    render(App, { backend });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(messages.ko["error.database"]);
    expect(alert).not.toHaveTextContent("disk I/O error");
  });
});
