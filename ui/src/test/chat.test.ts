import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import App from "../App.svelte";
import { fakeBackend } from "./fakeBackend";
import { surveyOf } from "./fakeSocial";

/** Kim (mentor) and Lee (mentee) with an accepted match; Lee is signed in. */
function withRoom(online: boolean) {
  const backend = fakeBackend();
  const kim = backend.social.seedUser(
    { email: "kim@example.com", password: "mentor-pass", name: "김멘토", gender: "male" },
    surveyOf("mentor", "piano", "서울"),
  );
  const lee = backend.social.seedUser(
    { email: "lee@example.com", password: "mentee-pass", name: "이멘티", gender: "female" },
    surveyOf("mentee", "piano", "서울"),
  );
  const room = backend.social.seedMatch(kim, lee, "accepted");
  backend.social.online = online;
  backend.social.signedInAs("lee@example.com");
  return { backend, kim, lee, room };
}

async function openChats(backend: ReturnType<typeof fakeBackend>) {
  render(App, { backend });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(document.querySelector('[data-nav="chats"]')!);
  return screen.findByTestId("chat-room");
}

describe("chats", () => {
  it("sends while offline: the message shows at once and is stored", async () => {
    const { backend, room, lee } = withRoom(false);
    const entry = await openChats(backend);
    expect(screen.getByTestId("sync-badge")).toHaveTextContent("오프라인");
    expect(screen.getByTestId("sync-badge")).toHaveAttribute("data-state", "offline");

    await fireEvent.click(entry);
    expect(await screen.findByText("아직 메시지가 없어요. 먼저 인사해 보세요!")).toBeInTheDocument();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("chat-input")));
    await fireEvent.input(screen.getByTestId("chat-input"), { target: { value: "안녕하세요!" } });
    await fireEvent.submit(screen.getByTestId("chat-input").closest("form")!);

    const messages = await screen.findByTestId("chat-messages");
    await waitFor(() => expect(within(messages).getAllByTestId("chat-message")).toHaveLength(1));
    expect(within(messages).getByTestId("chat-message")).toHaveTextContent("안녕하세요!");
    expect(screen.getByTestId("chat-input")).toHaveValue("");
    expect(entry).toHaveTextContent("안녕하세요!");
    expect(backend.social.messages.get(room.id)).toEqual([
      expect.objectContaining({ authorId: lee, text: "안녕하세요!" }),
    ]);
  });

  it("counts unread messages that arrive live and clears them when opened", async () => {
    const { backend, kim, room } = withRoom(true);
    const entry = await openChats(backend);
    await waitFor(() => expect(screen.getByTestId("sync-badge")).toHaveTextContent("동기화됨"));
    expect(within(entry).queryByTestId("unread")).not.toBeInTheDocument();

    backend.social.receive(room.id, kim, "연습은 잘 되나요?");
    backend.social.receive(room.id, kim, "오늘 7시에 봐요");
    await waitFor(() => expect(within(entry).getByTestId("unread")).toHaveTextContent("2"));
    expect(entry).toHaveTextContent("오늘 7시에 봐요");

    await fireEvent.click(entry);
    const messages = await screen.findByTestId("chat-messages");
    await waitFor(() => expect(within(messages).getAllByTestId("chat-message")).toHaveLength(2));
    expect(within(messages).getAllByTestId("chat-message")[0]).toHaveTextContent("김멘토");
    await waitFor(() => expect(within(entry).queryByTestId("unread")).not.toBeInTheDocument());

    // While the room is open a new message shows in the history, already read.
    backend.social.receive(room.id, kim, "악보 가져오세요");
    await waitFor(() => expect(within(messages).getAllByTestId("chat-message")).toHaveLength(3));
    expect(within(entry).queryByTestId("unread")).not.toBeInTheDocument();
  });

  it("shows the sync state as it changes", async () => {
    const { backend } = withRoom(true);
    await openChats(backend);
    const badge = screen.getByTestId("sync-badge");
    backend.social.setSync("connecting");
    await waitFor(() => expect(badge).toHaveTextContent("연결 중"));
    backend.social.setSync("error", "server_rejected: 401");
    await waitFor(() => expect(badge).toHaveTextContent("동기화 오류"));
    expect(badge).toHaveAttribute("title", "server_rejected: 401");
    backend.social.setSync("synced");
    await waitFor(() => expect(badge).toHaveTextContent("동기화됨"));
  });
});
