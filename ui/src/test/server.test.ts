// The sync server in Settings and at sign-in: the build's default is shown
// and used until the learner picks another; plain http:// to a server that is
// not on this computer is refused (insecure_transport, said in the UI's
// language) until the learner ticks the consent for that one server.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../App.svelte";
import { messages } from "../lib/i18n";
import { fakeBackend, type FakeBackend } from "./fakeBackend";

const ko = messages.ko;

async function openSettings(backend: FakeBackend) {
  render(App, { backend });
  await fireEvent.click(await screen.findByRole("button", { name: /프로필·설정/ }));
  await screen.findByTestId("server-settings");
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe("sync server", () => {
  it("shows the build's default server and uses it until another is chosen", async () => {
    const backend = fakeBackend();
    backend.social.defaultUrl = "https://sync.tutti.example";
    await openSettings(backend);
    expect(await screen.findByTestId("server-default")).toHaveTextContent("https://sync.tutti.example");
    expect((await backend.accountServerGet()).url).toBe("https://sync.tutti.example");

    await type("server-settings-url", "https://mine.example");
    await fireEvent.click(screen.getByTestId("server-save"));
    expect(await screen.findByTestId("server-saved")).toHaveTextContent(ko["server.saved"]);
    expect((await backend.accountServerGet()).url).toBe("https://mine.example");

    // Empty goes back to the default.
    await type("server-settings-url", "");
    await fireEvent.click(screen.getByTestId("server-save"));
    await waitFor(async () =>
      expect((await backend.accountServerGet()).url).toBe("https://sync.tutti.example"),
    );
  });

  it("refuses plain http:// to another computer until allowed for that server", async () => {
    const backend = fakeBackend();
    await openSettings(backend);
    expect(screen.queryByTestId("server-allow-insecure")).toBeNull();

    await type("server-settings-url", "http://192.168.0.20:8787");
    await fireEvent.click(screen.getByTestId("server-save"));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(ko["error.insecure_transport"]);
    expect(alert, "the core's English words stay out").not.toHaveTextContent("refusing");
    expect((await backend.accountServerGet()).url).toBeNull();

    await fireEvent.click(await screen.findByTestId("server-allow-insecure"));
    await fireEvent.click(screen.getByTestId("server-save"));
    await screen.findByTestId("server-saved");
    const saved = await backend.accountServerGet();
    expect(saved).toMatchObject({ url: "http://192.168.0.20:8787", insecure: true, allowInsecure: true });

    // Another address has no consent yet.
    await type("server-settings-url", "http://192.168.0.21:8787");
    expect(screen.queryByTestId("server-allow-insecure")).toBeNull();
    await fireEvent.click(screen.getByTestId("server-save"));
    expect(await screen.findByRole("alert")).toHaveTextContent(ko["error.insecure_transport"]);
    expect((await backend.accountServerGet()).url).toBe("http://192.168.0.20:8787");
  });

  it("needs no consent for a server on this computer", async () => {
    const backend = fakeBackend();
    await openSettings(backend);
    await type("server-settings-url", "http://127.0.0.1:8787");
    await fireEvent.click(screen.getByTestId("server-save"));
    await screen.findByTestId("server-saved");
    expect(screen.queryByTestId("server-allow-insecure")).toBeNull();
    expect((await backend.accountServerGet()).url).toBe("http://127.0.0.1:8787");
  });

  it("asks for the consent on the sign-in form too, then signs in", async () => {
    const backend = fakeBackend();
    backend.social.seedUser({ email: "jiwoo@example.com", password: "long enough", name: "지우", gender: "other" });
    render(App, { backend });
    await screen.findByRole("heading", { level: 1 });
    await fireEvent.click(document.querySelector('[data-nav="mentors"]')!);
    await screen.findByTestId("signin");
    await type("server-url", "http://sync.lan:8787");
    await type("email", "jiwoo@example.com");
    await type("password", "long enough");
    await fireEvent.click(screen.getByTestId("account-submit"));
    expect(await screen.findByRole("alert")).toHaveTextContent(ko["error.insecure_transport"]);
    expect(backend.social.account).toBeNull();

    await fireEvent.click(await screen.findByTestId("account-allow-insecure"));
    await fireEvent.click(screen.getByTestId("account-submit"));
    expect(await screen.findByTestId("account-bar")).toHaveTextContent("jiwoo@example.com");
    expect(backend.social.account?.serverUrl).toBe("http://sync.lan:8787");
  });
});
