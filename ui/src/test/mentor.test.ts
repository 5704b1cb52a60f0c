import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { messages } from "../lib/i18n";
import App from "../App.svelte";
import { fakeBackend, type FakeBackend } from "./fakeBackend";

async function openMentor(backend: FakeBackend) {
  render(App, { backend });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(document.querySelector('[data-nav="mentor"]')!);
  await screen.findByTestId("mentor-new");
}

/** Waits for `text` among the conversation's messages. */
async function inChat(text: RegExp | string) {
  return within(await screen.findByTestId("mentor-messages")).findByText(text);
}

async function say(text: string) {
  const input = screen.getByTestId("mentor-input") as HTMLInputElement;
  await fireEvent.input(input, { target: { value: text } });
  await fireEvent.click(screen.getByTestId("mentor-send"));
}

/** New room → guitar → level test answered with `correct` right answers. */
async function throughTheTest(correct: number) {
  await fireEvent.click(screen.getByTestId("mentor-new"));
  await inChat(/무엇을 배우고 싶으신가요/);
  await say("기타를 배우고 싶어요");
  await waitFor(() => expect(screen.getByTestId("room-title")).toHaveTextContent("기타 AI 멘토"));
  await fireEvent.click(screen.getByTestId("start-level-test"));
  await screen.findByTestId("level-question-4");
  for (let i = 0; i < 5; i++) {
    // The fake bank's correct option for question i is i % 4.
    const option = i < correct ? i % 4 : (i + 1) % 4;
    await fireEvent.click(screen.getByTestId(`q${i}-opt${option}`));
  }
  await fireEvent.click(screen.getByTestId("level-test-submit"));
  await screen.findByTestId("level-test-result");
}

describe("AI mentor", () => {
  it("runs the whole offline flow: hobby, level test, challenges, progress", async () => {
    const backend = fakeBackend();
    await openMentor(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("AI 멘토");

    await throughTheTest(5);
    expect(screen.getByTestId("level-test-level")).toHaveTextContent("고급");
    // Submitting moves the room on; the result screen must not ask for the test again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getAllByText(/✓ 정답/)).toHaveLength(5);
    await fireEvent.click(screen.getByTestId("level-test-back"));

    // The result card and the count picker are in the conversation.
    expect(await screen.findByTestId("level-result-card")).toHaveTextContent("5/5 · 고급");
    expect(screen.getByTestId("room-level")).toHaveTextContent("고급");
    await fireEvent.change(screen.getByTestId("challenge-count"), { target: { value: "2" } });
    await fireEvent.click(screen.getByTestId("get-challenges"));
    const list = await screen.findByTestId("challenge-list");
    expect(within(list).getAllByTestId("challenge-item")).toHaveLength(2);

    await fireEvent.click(within(list).getAllByTestId("challenge-item")[0]!);
    expect(await screen.findByTestId("challenge-title")).toHaveTextContent("기타 과제 7");
    expect(screen.getByText("메트로놈")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("challenge-step-0"));
    await waitFor(() =>
      expect(screen.getByTestId("challenge-step-0")).toBeChecked(),
    );
    await fireEvent.click(screen.getByTestId("challenge-done"));
    await waitFor(() => expect(screen.getByTestId("challenge-done")).toBeChecked());
    expect(backend.rooms()[0]!.challenges[0]!.stepsDone).toEqual([true, false, false]);

    await fireEvent.click(screen.getByTestId("challenge-back"));
    const item = within(await screen.findByTestId("challenge-list")).getAllByTestId("challenge-item")[0]!;
    expect(item).toHaveTextContent("1/3 단계 완료");
    expect(item).toHaveTextContent("완료");

    // Free conversation without a provider says so plainly and links to settings.
    const notice = screen.getByTestId("mentor-needs-provider");
    expect(notice).toHaveTextContent("자유 대화에는 AI 제공자 설정이 필요해요");
    expect(screen.queryByTestId("mentor-input")).not.toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("mentor-go-settings"));
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("프로필·설정");
    expect(screen.getByRole("heading", { name: /AI 제공자/ })).toBeInTheDocument();
  });

  it("asks again when no hobby is named and lists rooms newest first", async () => {
    const backend = fakeBackend();
    await openMentor(backend);
    await fireEvent.click(screen.getByTestId("mentor-new"));
    await inChat(/무엇을 배우고 싶으신가요/);
    await say("글쎄요");
    expect(await inChat(/배우고 싶은 취미를 알려 주세요/)).toBeInTheDocument();
    expect(screen.getByTestId("room-title")).toHaveTextContent("AI 멘토");

    await fireEvent.click(screen.getByTestId("mentor-new"));
    await say("피아노요");
    await waitFor(() => {
      const rooms = screen.getAllByTestId("mentor-room");
      expect(rooms[0]).toHaveTextContent("피아노 AI 멘토");
      expect(rooms).toHaveLength(2);
    });
  });

  it("shows an error naming the field for a bad message and keeps the room as it was", async () => {
    const backend = fakeBackend();
    await openMentor(backend);
    await fireEvent.click(screen.getByTestId("mentor-new"));
    await screen.findByTestId("mentor-input");
    await say("가".repeat(4001));
    expect(await screen.findByRole("alert")).toHaveTextContent(`(${messages.ko["field.text"]})`);
    expect(backend.rooms()[0]!.messages).toHaveLength(1);
  });

  it("streams the reply token by token, can stop it, and stores the finished one", async () => {
    const backend = fakeBackend();
    await backend.llmSettingsSet({ baseUrl: "http://127.0.0.1:11434", model: "smollm2" });
    await openMentor(backend);
    await throughTheTest(2);
    await fireEvent.click(screen.getByTestId("level-test-back"));
    await fireEvent.click(await screen.findByTestId("get-challenges"));
    await screen.findByTestId("challenge-list");
    expect(screen.queryByTestId("mentor-needs-provider")).not.toBeInTheDocument();

    backend.chatTokens = ["코드 ", "전환은 ", "천천히요."];
    backend.holdNextChat();
    await say("코드 전환이 어려워요");
    const streaming = await screen.findByTestId("mentor-streaming");
    await waitFor(() => expect(streaming).toHaveTextContent("코드"));
    expect(streaming).not.toHaveTextContent("천천히요");
    await fireEvent.click(screen.getByTestId("mentor-stop"));
    expect(await screen.findByText(/답장을 멈췄어요/)).toBeInTheDocument();
    expect(screen.queryByTestId("mentor-streaming")).not.toBeInTheDocument();
    const stored = backend.rooms()[0]!.messages.length;
    expect(screen.getByTestId("mentor-input")).toHaveValue("코드 전환이 어려워요");

    await fireEvent.click(screen.getByTestId("mentor-send"));
    await waitFor(() => {
      const stored = screen.getAllByTestId("mentor-message").at(-1)!;
      expect(stored).toHaveAttribute("data-role", "mentor");
      expect(stored).toHaveTextContent("코드 전환은 천천히요.");
      expect(stored).toHaveTextContent("AI 답변 · smollm2");
    });
    expect(screen.queryByTestId("mentor-streaming")).not.toBeInTheDocument();
    expect(backend.rooms()[0]!.messages.length).toBe(stored + 2);
  });

  it("takes the level test's performance part to Practice and adds the graded take to the test", async () => {
    const backend = fakeBackend();
    await openMentor(backend);
    await throughTheTest(5);
    const part = screen.getByTestId("level-test-performance");
    expect(part).toHaveTextContent("도레미 음계");
    expect(part).toHaveTextContent("80 BPM · 4개 음");
    await fireEvent.click(within(part).getByTestId("level-test-perform"));

    // Practice opens with the part chosen as the target.
    await screen.findByTestId("target-notation");
    const select = screen.getByTestId("target-select") as HTMLSelectElement;
    expect(select.selectedOptions[0]).toHaveTextContent("레벨 테스트 연주 파트");
    const input = screen.getByTestId("take-file") as HTMLInputElement;
    Object.defineProperty(input, "files", {
      value: [new File(["RIFF....WAVEfmt "], "take.wav")],
      configurable: true,
    });
    await fireEvent.change(input);
    const result = await screen.findByTestId("take-result");
    await fireEvent.click(within(result).getByTestId("take-attach-level"));
    expect(await screen.findByTestId("take-attached")).toHaveTextContent("정확도 85%");
    expect(backend.rooms()[0]!.room.performancePercent).toBe(85);

    // Back in the room, the header shows it; the part can be played again.
    await fireEvent.click(document.querySelector('[data-nav="mentor"]')!);
    await fireEvent.click(await screen.findByText("기타 AI 멘토"));
    expect(await screen.findByTestId("room-performance")).toHaveTextContent("85%");
    expect(screen.getByTestId("room-perform")).toBeInTheDocument();
  });

  it("offers no performance part for a hobby without a melody, and an imported target cannot be added", async () => {
    const backend = fakeBackend();
    await openMentor(backend);
    await fireEvent.click(screen.getByTestId("mentor-new"));
    await inChat(/무엇을 배우고 싶으신가요/);
    await say("도예를 배우고 싶어요");
    await waitFor(() => expect(screen.getByTestId("room-title")).toHaveTextContent("도예 AI 멘토"));
    expect(screen.queryByTestId("room-perform")).not.toBeInTheDocument();
    await expect(backend.practiceTargetFromLevelTest(backend.rooms()[0]!.room.id)).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("says that plans for a hobby without curated ones need the AI provider", async () => {
    const backend = fakeBackend();
    await openMentor(backend);
    await fireEvent.click(screen.getByTestId("mentor-new"));
    await screen.findByTestId("mentor-input");
    await say("마술을 배우고 싶어요");
    await waitFor(() => expect(screen.getByTestId("room-title")).toHaveTextContent("마술 AI 멘토"));
    await fireEvent.click(await screen.findByTestId("get-challenges"));
    expect(await screen.findByTestId("mentor-needs-provider-plans")).toHaveTextContent(
      "AI 제공자",
    );
    expect(backend.rooms()[0]!.room.stage).toBe("awaitingChallengeCount");
  });

  it("speaks English when the settings say so", async () => {
    const backend = fakeBackend({ language: "en" });
    await openMentor(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("AI mentor");
    await fireEvent.click(screen.getByTestId("mentor-new"));
    expect(await inChat(/What would you like to learn/)).toBeInTheDocument();
    await say("I want to learn the guitar");
    await waitFor(() => expect(screen.getByTestId("room-title")).toHaveTextContent("guitar AI mentor"));
    expect(screen.getByTestId("start-level-test")).toHaveTextContent("Start the level test");
  });
});

describe("AI provider settings", () => {
  async function openSettings(backend: FakeBackend) {
    render(App, { backend });
    await fireEvent.click(await screen.findByRole("button", { name: /프로필·설정/ }));
    await screen.findByTestId("ai-base-url");
  }

  it("saves the base URL and model and shows that the provider is connected", async () => {
    const backend = fakeBackend();
    await openSettings(backend);
    expect(screen.getByTestId("ai-status")).toHaveTextContent("연결 안 됨");
    await fireEvent.input(screen.getByTestId("ai-base-url"), {
      target: { value: "http://127.0.0.1:11434" },
    });
    await fireEvent.input(screen.getByTestId("ai-model"), { target: { value: "llama3.2" } });
    await fireEvent.click(screen.getByTestId("ai-save"));
    await waitFor(() => expect(screen.getByTestId("ai-status")).toHaveTextContent("연결됨"));
    expect((await backend.llmSettingsGet()).configured).toBe(true);
  });

  it("names the field of a bad setting", async () => {
    const backend = fakeBackend();
    await openSettings(backend);
    await fireEvent.input(screen.getByTestId("ai-base-url"), { target: { value: "localhost" } });
    await fireEvent.input(screen.getByTestId("ai-model"), { target: { value: "m" } });
    await fireEvent.click(screen.getByTestId("ai-save"));
    expect(await screen.findByRole("alert")).toHaveTextContent(`(${messages.ko["field.base_url"]})`);
    expect((await backend.llmSettingsGet()).configured).toBe(false);
  });

  it("writes the key to the keyring and shows only that it is stored", async () => {
    const backend = fakeBackend();
    await openSettings(backend);
    await waitFor(() => expect(screen.getByTestId("ai-key-status")).toHaveTextContent("저장된 키 없음"));
    const field = screen.getByTestId("ai-key") as HTMLInputElement;
    expect(field.type).toBe("password");
    await fireEvent.input(field, { target: { value: "sk-secret-123" } });
    await fireEvent.click(screen.getByTestId("ai-key-save"));
    await waitFor(() => expect(screen.getByTestId("ai-key-status")).toHaveTextContent("저장됨"));
    expect(backend.keyStored).toBe(true);
    expect(field.value).toBe("");
    expect(document.body.innerHTML).not.toContain("sk-secret-123");

    await fireEvent.click(screen.getByTestId("ai-key-clear"));
    await waitFor(() => expect(screen.getByTestId("ai-key-status")).toHaveTextContent("저장된 키 없음"));
    expect(backend.keyStored).toBe(false);
  });
});
