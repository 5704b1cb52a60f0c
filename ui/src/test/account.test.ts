import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { messages } from "../lib/i18n";
import App from "../App.svelte";
import { fakeBackend, type FakeBackend } from "./fakeBackend";
import { surveyOf } from "./fakeSocial";

async function open(backend: FakeBackend, nav: "mentors" | "chats") {
  render(App, { backend });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(document.querySelector(`[data-nav="${nav}"]`)!);
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

async function logIn(email: string, password: string) {
  await screen.findByTestId("signin");
  await type("server-url", "http://127.0.0.1:8080");
  await type("email", email);
  await type("password", password);
  await fireEvent.click(screen.getByTestId("account-submit"));
}

/** A mentor teaching guitar in Seoul, and a mentee account. */
function seeded() {
  const backend = fakeBackend();
  const kim = backend.social.seedUser(
    { email: "kim@example.com", password: "mentor-pass", name: "김멘토", gender: "male" },
    surveyOf("mentor", "guitar", "서울"),
  );
  const lee = backend.social.seedUser(
    { email: "lee@example.com", password: "mentee-pass", name: "이멘티", gender: "female" },
  );
  return { backend, kim, lee };
}

describe("account", () => {
  it("asks signed-out users to sign in on the mentors and chats screens", async () => {
    const backend = fakeBackend();
    await open(backend, "mentors");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("멘토 찾기");
    expect(await screen.findByTestId("signin")).toHaveTextContent("로그인이 필요해요");
    expect(screen.queryByTestId("coming-soon")).not.toBeInTheDocument();
    await fireEvent.click(document.querySelector('[data-nav="chats"]')!);
    expect(await screen.findByTestId("signin")).toHaveTextContent("로그인이 필요해요");
  });

  it("marks and focuses the field a sign-up error is about", async () => {
    const backend = fakeBackend();
    backend.social.seedUser({ email: "taken@example.com", password: "taken-pass-1", name: "먼저", gender: "male" });
    await open(backend, "mentors");
    await screen.findByTestId("signin");
    await fireEvent.click(screen.getByTestId("account-mode"));
    await type("server-url", "http://127.0.0.1:8080/");
    await type("signup-name", "나중");
    await type("email", "taken@example.com");
    await type("password", "good-password");
    await type("signup-birthdate", "1999-03-04");
    await fireEvent.click(screen.getByTestId("account-submit"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      `${messages.ko["error.server_email_taken"]} (${messages.ko["field.email"]})`,
    );
    expect(screen.getByTestId("email")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("password")).toHaveAttribute("aria-invalid", "false");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("email")));

    // Fixed: the mark goes away with the error.
    await type("email", "new@example.com");
    await fireEvent.click(screen.getByTestId("account-submit"));
    expect(await screen.findByTestId("account-bar")).toHaveTextContent("new@example.com");
  });

  it("signs up, is signed in with a synced badge, and signs out", async () => {
    const backend = fakeBackend();
    await open(backend, "mentors");
    await screen.findByTestId("signin");
    await fireEvent.click(screen.getByTestId("account-mode"));
    await type("server-url", "http://127.0.0.1:8080/");
    await type("signup-name", "박새내기");
    await type("email", "park@example.com");
    await type("password", "good-password");
    await type("signup-birthdate", "1999-03-04");
    await fireEvent.click(screen.getByTestId("account-submit"));

    const bar = await screen.findByTestId("account-bar");
    expect(bar).toHaveTextContent("park@example.com");
    expect(backend.social.serverUrl).toBe("http://127.0.0.1:8080");
    expect(backend.social.users.map((u) => u.name)).toContain("박새내기");
    await waitFor(() => expect(screen.getByTestId("sync-badge")).toHaveTextContent("동기화됨"));
    // Not surveyed yet: the survey form is open.
    expect(await screen.findByTestId("survey-form")).toBeVisible();

    await fireEvent.click(screen.getByTestId("logout"));
    expect(await screen.findByTestId("signin")).toBeInTheDocument();
    expect(backend.social.account).toBeNull();
    expect(backend.social.sync.state).toBe("offline");

    // Signing in again: the form is back in sign-in mode, the server remembered.
    expect(screen.getByTestId("server-url")).toHaveValue("http://127.0.0.1:8080");
    expect(screen.queryByTestId("signup-name")).not.toBeInTheDocument();
    await type("email", "park@example.com");
    await type("password", "good-password");
    await fireEvent.click(screen.getByTestId("account-submit"));
    expect(await screen.findByTestId("account-bar")).toHaveTextContent("park@example.com");
  });

  it("shows why a sign-in failed and keeps the form", async () => {
    const { backend } = seeded();
    await open(backend, "mentors");
    await logIn("lee@example.com", "wrong-password");
    expect(await screen.findByRole("alert")).toHaveTextContent("이메일 또는 비밀번호가 맞지 않아요.");
    expect(screen.getByTestId("signin")).toBeInTheDocument();
    expect(backend.social.account).toBeNull();
  });
});

describe("finding a mentor", () => {
  it("saves the survey, shows recommendations with reasons and sends a request", async () => {
    const { backend, kim, lee } = seeded();
    await open(backend, "mentors");
    await logIn("lee@example.com", "mentee-pass");
    await screen.findByTestId("survey-form");
    await fireEvent.change(screen.getByTestId("survey-hobby"), { target: { value: "guitar" } });
    await type("survey-location", "서울");
    await fireEvent.click(screen.getByTestId("survey-save"));

    const recs = await screen.findByTestId("recommendations");
    const card = within(recs).getByTestId("recommendation");
    expect(card).toHaveTextContent("김멘토");
    expect(card).toHaveTextContent("기타");
    expect(card).toHaveTextContent("같은 지역 (서울)");
    expect(card).toHaveTextContent("적합도 80");
    expect(backend.social.surveys.get(lee)).toMatchObject({ role: "mentee", location: "서울" });

    await fireEvent.click(within(card).getByTestId(`request-${kim}`));
    expect(await within(card).findByText("요청함")).toBeInTheDocument();
    expect(within(screen.getByTestId("my-matches")).getByTestId("match-status")).toHaveTextContent(
      "대기 중",
    );
    expect(backend.social.matches).toEqual([
      expect.objectContaining({ mentorId: kim, menteeId: lee, status: "pending" }),
    ]);
  });

  it("lets the mentor accept a request, which opens a chat room", async () => {
    const { backend, kim, lee } = seeded();
    const m = backend.social.seedMatch(kim, lee, "pending");
    backend.social.signedInAs("kim@example.com");
    await open(backend, "mentors");

    const request = await screen.findByTestId("incoming-request");
    expect(request).toHaveTextContent("이멘티");
    expect(request).toHaveTextContent("대기 중");
    await fireEvent.click(within(request).getByTestId(`accept-${m.id}`));
    await waitFor(() => expect(within(request).getByTestId("match-status")).toHaveTextContent("수락됨"));
    expect(within(request).queryByTestId(`accept-${m.id}`)).not.toBeInTheDocument();
    expect(backend.social.matches[0]!.status).toBe("accepted");

    await fireEvent.click(document.querySelector('[data-nav="chats"]')!);
    expect(await screen.findByTestId("chat-room")).toHaveTextContent("이멘티");
  });

  it("shows the saved list with a note when the server is unreachable", async () => {
    const { backend, kim, lee } = seeded();
    backend.social.surveys.set(lee, surveyOf("mentee", "guitar", "부산"));
    backend.social.seedMatch(kim, lee, "pending");
    backend.social.signedInAs("lee@example.com");
    backend.social.online = false;
    await open(backend, "mentors");
    expect(await screen.findByTestId("matches-offline")).toBeInTheDocument();
    expect(screen.getByTestId("my-matches")).toHaveTextContent("김멘토");
  });
});
