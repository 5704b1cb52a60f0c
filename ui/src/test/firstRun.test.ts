// The first-run screen: a new installation opens on it (in Korean), every
// step can be skipped, the hobby is understood offline (a mentor room is
// made for it), an account and an AI provider are optional, and finishing is
// stored so the app opens on Home afterwards.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../App.svelte";
import { messages } from "../lib/i18n";
import { fakeBackend } from "./fakeBackend";

const ko = messages.ko;
const en = messages.en;

async function title(): Promise<string> {
  return (await screen.findByRole("heading", { level: 1 })).textContent ?? "";
}

async function next() {
  await fireEvent.click(screen.getByTestId("first-run-next"));
}

describe("first run", () => {
  it("walks a new installation through every step, all skipped, to the Korean home", async () => {
    const backend = fakeBackend({ firstRunDone: false });
    render(App, { backend });
    expect(await title()).toBe(ko["firstRun.language.title"]);
    expect(document.documentElement.lang).toBe("ko");
    expect(screen.getByTestId("first-run-progress")).toHaveTextContent("1 / 4");
    await next();
    expect(await title()).toBe(ko["firstRun.hobby.title"]);
    await next();
    expect(await title()).toBe(ko["firstRun.account.title"]);
    expect(await screen.findByTestId("signin")).toBeInTheDocument();
    await next();
    expect(await title()).toBe(ko["firstRun.ai.title"]);
    expect(screen.getByTestId("first-run-next")).toHaveTextContent(ko["firstRun.finish"]);
    await next();
    await waitFor(() => expect(backend.settings.firstRunDone).toBe(true));
    expect(await title()).toBe(ko["home.title"]);
    expect(backend.rooms()).toEqual([]);
    expect(backend.social.account).toBeNull();
  });

  it("switches to English on the first step and keeps it", async () => {
    const backend = fakeBackend({ firstRunDone: false });
    render(App, { backend });
    await screen.findByTestId("first-run");
    await fireEvent.click(screen.getByTestId("first-run-lang-en"));
    await waitFor(async () => expect(await title()).toBe(en["firstRun.language.title"]));
    expect(backend.settings.language).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    await fireEvent.click(screen.getByTestId("first-run-skip-all"));
    await waitFor(async () => expect(await title()).toBe(en["home.title"]));
  });

  it("understands the hobby offline and prepares a mentor room for it", async () => {
    const backend = fakeBackend({ firstRunDone: false });
    render(App, { backend });
    await screen.findByTestId("first-run");
    await next();
    await fireEvent.input(screen.getByTestId("first-run-hobby"), {
      target: { value: "기타를 배우고 싶어요" },
    });
    await fireEvent.click(screen.getByTestId("first-run-hobby-send"));
    expect(await screen.findByTestId("first-run-hobby-room")).toHaveTextContent("기타 AI 멘토");
    expect(screen.getByTestId("first-run-hobby-reply").textContent).not.toBe("");
    const rooms = backend.rooms();
    expect(rooms).toHaveLength(1);
    expect(rooms[0]!.room.hobby).toBe("guitar");

    // A second sentence goes to the same room, not a new one.
    await fireEvent.input(screen.getByTestId("first-run-hobby"), { target: { value: "기타요" } });
    await fireEvent.click(screen.getByTestId("first-run-hobby-send"));
    await waitFor(() => expect(backend.rooms()[0]!.messages.length).toBeGreaterThan(3));
    expect(backend.rooms()).toHaveLength(1);

    await fireEvent.click(screen.getByTestId("first-run-skip-all"));
    expect(await title()).toBe(ko["home.title"]);
  });

  it("asks again when no hobby is understood, and can still be skipped", async () => {
    const backend = fakeBackend({ firstRunDone: false });
    render(App, { backend });
    await screen.findByTestId("first-run");
    await next();
    await fireEvent.input(screen.getByTestId("first-run-hobby"), { target: { value: "음…" } });
    await fireEvent.click(screen.getByTestId("first-run-hobby-send"));
    await screen.findByTestId("first-run-hobby-reply");
    expect(screen.queryByTestId("first-run-hobby-room")).toBeNull();
    await next();
    expect(await title()).toBe(ko["firstRun.account.title"]);
  });

  it("signs in on the account step when the user wants to", async () => {
    const backend = fakeBackend({ firstRunDone: false });
    backend.social.seedUser({ email: "minji@example.com", password: "correct horse", name: "민지", gender: "female" });
    render(App, { backend });
    await screen.findByTestId("first-run");
    await next();
    await next();
    await fireEvent.input(await screen.findByTestId("server-url"), {
      target: { value: "http://127.0.0.1:8787" },
    });
    await fireEvent.input(screen.getByTestId("email"), { target: { value: "minji@example.com" } });
    await fireEvent.input(screen.getByTestId("password"), { target: { value: "correct horse" } });
    await fireEvent.submit(screen.getByTestId("account-submit").closest("form")!);
    expect(await screen.findByTestId("first-run-signed-in")).toHaveTextContent(
      ko["firstRun.account.done"],
    );
    expect(backend.social.account?.email).toBe("minji@example.com");
  });

  it("is not shown again once done", async () => {
    render(App, { backend: fakeBackend({ firstRunDone: true }) });
    expect(await title()).toBe(ko["home.title"]);
    expect(screen.queryByTestId("first-run")).toBeNull();
  });

  it("tells the shell once that the first screen was painted", async () => {
    const backend = fakeBackend({ firstRunDone: false });
    render(App, { backend });
    await screen.findByTestId("first-run");
    await waitFor(() => expect(backend.firstPaints).toBe(1));
    await fireEvent.click(screen.getByTestId("first-run-skip-all"));
    await title();
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.firstPaints, "later screens do not count").toBe(1);
  });
});
