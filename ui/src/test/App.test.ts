import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { messages } from "../lib/i18n";
import App from "../App.svelte";
import { screens } from "../lib/screens";
import { fakeBackend } from "./fakeBackend";

describe("App shell", () => {
  it("opens on the Korean home screen by default", async () => {
    render(App, { backend: fakeBackend() });
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent(
      "안녕하세요! 무엇을 배워 볼까요?",
    );
    expect(document.documentElement.lang).toBe("ko");
  });

  it("switches to English through the settings screen and stores it", async () => {
    const backend = fakeBackend();
    render(App, { backend });
    await fireEvent.click(await screen.findByRole("button", { name: /프로필·설정/ }));
    await fireEvent.click(await screen.findByLabelText("English"));
    await waitFor(() =>
      expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Profile & settings"),
    );
    expect(backend.settings.language).toBe("en");
  });

  it("marks no screen 'coming soon' once every feature has landed", async () => {
    render(App, { backend: fakeBackend({ language: "en" }) });
    await screen.findByRole("heading", { level: 1 });
    expect(screens.filter((s) => s.soon)).toEqual([]);
    expect(document.querySelector("nav .badge")).toBeNull();
  });

  it("applies the dark theme to the document", async () => {
    render(App, { backend: fakeBackend({ theme: "dark" }) });
    await screen.findByRole("heading", { level: 1 });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
  });

  it("moves between menu items with the arrow keys", async () => {
    render(App, { backend: fakeBackend() });
    const home = await screen.findByRole("button", { name: /^⌂?\s*홈/ });
    home.focus();
    await fireEvent.keyDown(home, { key: "ArrowDown" });
    expect(document.activeElement?.getAttribute("data-nav")).toBe("mentor");
    await fireEvent.keyDown(document.activeElement!, { key: "End" });
    expect(document.activeElement?.getAttribute("data-nav")).toBe("settings");
  });

  it("shows a backend error in Korean with the field it names", async () => {
    render(App, { backend: fakeBackend() });
    await fireEvent.click(await screen.findByRole("button", { name: /프로필·설정/ }));
    const form = document.querySelector("form.profile") as HTMLFormElement;
    await fireEvent.submit(form);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(`${messages.ko["error.invalid_input"]} (${messages.ko["field.display_name"]})`);
    expect(alert, "the backend's English words stay out of the Korean UI").not.toHaveTextContent("must not be empty");
  });
});
