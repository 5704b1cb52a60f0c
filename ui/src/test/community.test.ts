import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import App from "../App.svelte";
import { fakeBackend, type FakeBackend } from "./fakeBackend";

/** Lee (signed in) and Kim and Park, two other learners. */
function community(online = true, language: "ko" | "en" = "ko") {
  const backend = fakeBackend({ language });
  const kim = backend.social.seedUser({ email: "kim@example.com", password: "kim-pass-1", name: "김기타", gender: "male" });
  const park = backend.social.seedUser({ email: "park@example.com", password: "park-pass-1", name: "박피아노", gender: "female" });
  const lee = backend.social.seedUser({ email: "lee@example.com", password: "lee-pass-1", name: "이배움", gender: "female" });
  backend.social.online = online;
  backend.social.signedInAs("lee@example.com");
  return { backend, kim, park, lee };
}

async function openCommunity(backend: FakeBackend) {
  render(App, { backend });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(document.querySelector('[data-nav="community"]')!);
  await screen.findByTestId("community-tab-feed");
}

const listed = (testid: string) =>
  within(screen.getByTestId(testid))
    .queryAllByTestId("question-item")
    .map((li) => li.querySelector("button")!.textContent);

const answers = () => within(screen.getByTestId("answers")).queryAllByTestId("answer");

async function openThread(title: string) {
  await fireEvent.click(await screen.findByRole("button", { name: title }));
  return screen.findByTestId("thread-question");
}

async function ask(title: string, body: string, hobby = "guitar") {
  await fireEvent.click(screen.getByTestId("community-tab-ask"));
  await fireEvent.input(screen.getByTestId("ask-title"), { target: { value: title } });
  await fireEvent.change(screen.getByTestId("ask-hobby"), { target: { value: hobby } });
  await fireEvent.input(screen.getByTestId("ask-body"), { target: { value: body } });
  await fireEvent.click(screen.getByTestId("ask-submit"));
}

describe("community", () => {
  it("asks signed-out users to sign in and is no longer 'coming soon'", async () => {
    const backend = fakeBackend();
    render(App, { backend });
    await screen.findByRole("heading", { level: 1 });
    await fireEvent.click(document.querySelector('[data-nav="community"]')!);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("커뮤니티");
    expect(await screen.findByTestId("signin")).toHaveTextContent("로그인이 필요해요");
    expect(screen.queryByTestId("coming-soon")).not.toBeInTheDocument();
  });

  it("asks a question with a plain-text preview and a clear field error, then finds it in the feed and 'my questions'", async () => {
    const { backend, lee } = community();
    await openCommunity(backend);
    await fireEvent.click(screen.getByTestId("community-tab-ask"));
    await waitFor(() => expect(document.activeElement).toHaveTextContent("질문하기"));

    // The preview shows the text with its line breaks and never renders HTML.
    const body = "바레 코드를 잡으면 소리가 안 나요.\n<b>검지</b>가 아파요.";
    await fireEvent.input(screen.getByTestId("ask-body"), { target: { value: body } });
    const preview = screen.getByTestId("ask-preview");
    expect(preview.textContent).toBe(body);
    expect(preview.querySelector("b")).toBeNull();

    // No title: the core refuses it and the form says which field is wrong.
    await fireEvent.click(screen.getByTestId("ask-submit"));
    expect(await screen.findByTestId("ask-title-error")).toHaveTextContent("제목을 1~200자로 써 주세요.");
    expect(screen.getByTestId("ask-title")).toHaveAttribute("aria-invalid", "true");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("ask-title")));
    expect(backend.community.questions).toHaveLength(0);

    await fireEvent.input(screen.getByTestId("ask-title"), { target: { value: "바레 코드가 어려워요" } });
    await fireEvent.click(screen.getByTestId("ask-submit"));
    expect(await screen.findByTestId("thread-title")).toHaveTextContent("바레 코드가 어려워요");
    expect(screen.getByTestId("thread-notice")).toHaveTextContent("질문을 올렸어요.");
    expect(screen.getByTestId("thread-body").textContent).toBe(body);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("thread-title")));
    expect(backend.community.questions).toEqual([
      expect.objectContaining({ askerId: lee, hobby: "guitar", title: "바레 코드가 어려워요", body }),
    ]);

    await fireEvent.click(screen.getByTestId("community-tab-feed"));
    await waitFor(() => expect(listed("question-list")).toEqual(["바레 코드가 어려워요"]));
    expect(within(screen.getByTestId("question-list")).getByTestId("question-item")).toHaveTextContent("기타");
    await fireEvent.click(screen.getByTestId("community-tab-mine"));
    await waitFor(() => expect(listed("my-questions")).toEqual(["바레 코드가 어려워요"]));
  });

  it("answers someone else's question; the own answer can be edited but not voted on", async () => {
    const { backend, kim } = community();
    backend.community.seedQuestion(kim, "guitar", "스트로크가 일정하지 않아요", "팔이 자꾸 멈춰요.");
    await openCommunity(backend);
    await openThread("스트로크가 일정하지 않아요");
    expect(screen.getByTestId("thread-question")).toHaveTextContent("김기타");
    expect(screen.queryByTestId("question-edit")).not.toBeInTheDocument();
    expect(screen.queryByTestId("ask-ai")).not.toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("answer-submit"));
    expect(await screen.findByTestId("answer-error")).toHaveTextContent("내용을 1~20,000자로 써 주세요.");

    await fireEvent.input(screen.getByTestId("answer-input"), { target: { value: "메트로놈에 맞춰\n천천히 해 보세요." } });
    await fireEvent.click(screen.getByTestId("answer-submit"));
    await waitFor(() => expect(answers()).toHaveLength(1));
    const mine = answers()[0]!;
    expect(within(mine).getByTestId("answer-body").textContent).toBe("메트로놈에 맞춰\n천천히 해 보세요.");
    expect(mine).toHaveTextContent("나");
    expect(within(mine).queryByTestId("vote-up")).not.toBeInTheDocument();
    expect(within(mine).queryByTestId("accept")).not.toBeInTheDocument();
    expect(screen.getByTestId("answer-input")).toHaveValue("");

    await fireEvent.click(within(mine).getByTestId("answer-edit"));
    const box = within(mine).getByRole("textbox");
    await fireEvent.input(box, { target: { value: "메트로놈 60으로 시작하세요." } });
    await fireEvent.submit(box.closest("form")!);
    await waitFor(() => expect(within(answers()[0]!).getByTestId("answer-body")).toHaveTextContent("메트로놈 60으로 시작하세요."));
    expect(answers()[0]).toHaveTextContent("수정됨");
  });

  it("gets an AI answer labelled with its model that can be marked helpful but not accepted", async () => {
    const { backend } = community();
    await openCommunity(backend);
    await ask("피아노 페달은 언제 밟나요?", "악보에 표시가 없어요.", "piano");
    await screen.findByTestId("thread-title");

    // No AI provider yet: a clear message and the way to the settings.
    await fireEvent.click(screen.getByTestId("ask-ai"));
    expect(await screen.findByTestId("community-needs-provider")).toHaveTextContent("AI 제공자를 연결해 주세요");
    expect(backend.community.answers).toHaveLength(0);

    await backend.llmSettingsSet({ baseUrl: "http://127.0.0.1:11434/v1", model: "llama3.2:3b" });
    await fireEvent.click(screen.getByTestId("ask-ai"));
    await waitFor(() => expect(answers()).toHaveLength(1));
    const ai = answers()[0]!;
    expect(within(ai).getByTestId("ai-label")).toHaveTextContent("AI 답변 · llama3.2:3b");
    expect(within(ai).queryByTestId("accept")).not.toBeInTheDocument();
    expect(within(ai).queryByTestId("answer-edit")).not.toBeInTheDocument();
    expect(within(ai).getByTestId("answer-body").textContent).toBe(backend.community.aiText);

    await fireEvent.click(within(ai).getByTestId("helpful-toggle"));
    expect(await within(answers()[0]!).findByTestId("helpful")).toHaveTextContent("도움이 됐어요");
    expect(backend.community.answers[0]!.helpful).toBe(true);
  });

  it("without a provider of one's own, gets the server assistant's answer under its name", async () => {
    const { backend } = community();
    backend.community.assistantModel = "server-model";
    await openCommunity(backend);
    await ask("기타 줄을 얼마나 자주 갈아요?", "소리가 둔해졌어요.", "guitar");
    await screen.findByTestId("thread-title");

    await fireEvent.click(screen.getByTestId("ask-ai"));
    await waitFor(() => expect(answers()).toHaveLength(1));
    const ai = answers()[0]!;
    expect(within(ai).getByTestId("ai-label")).toHaveTextContent("AI 답변 · server-model");
    expect(within(ai).getByTestId("ai-by")).toHaveTextContent("Tutti AI");
    expect(within(ai).queryByTestId("accept")).not.toBeInTheDocument();
    expect(within(ai).queryByTestId("answer-edit")).not.toBeInTheDocument();
    expect(screen.queryByTestId("community-needs-provider")).not.toBeInTheDocument();

    // Asking again gives the same answer, not a second one.
    await fireEvent.click(screen.getByTestId("ask-ai"));
    await waitFor(() => expect(screen.getByTestId("ask-ai")).not.toBeDisabled());
    expect(answers()).toHaveLength(1);
    expect(backend.community.answers).toHaveLength(1);
  });

  it("takes the asker from the AI message to the settings", async () => {
    const { backend } = community();
    await openCommunity(backend);
    await ask("드럼 질문", "하이햇을 어떻게 쳐요?", "drums");
    await fireEvent.click(await screen.findByTestId("ask-ai"));
    await fireEvent.click(await screen.findByTestId("community-go-settings"));
    await waitFor(() => expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("프로필·설정"));
  });

  it("votes once per answer and shows an accepted answer first", async () => {
    const { backend, kim, park, lee } = community();
    const q = backend.community.seedQuestion(lee, "guitar", "튜닝이 자꾸 풀려요", "새 줄이에요.");
    const fromKim = backend.community.seedAnswer(q, kim, "줄을 늘려 주세요.");
    const fromPark = backend.community.seedAnswer(q, park, "페그를 확인해 보세요.");
    await openCommunity(backend);
    await openThread("튜닝이 자꾸 풀려요");
    await waitFor(() => expect(answers().map((a) => a.dataset.answerId)).toEqual([fromKim, fromPark]));

    const kimAnswer = answers()[0]!;
    const up = within(kimAnswer).getByTestId("vote-up");
    await fireEvent.click(up);
    await waitFor(() => expect(within(kimAnswer).getByTestId("score")).toHaveTextContent("1"));
    expect(up).toHaveAttribute("aria-pressed", "true");
    // Voting down replaces the vote (one per user); pressing it again takes it back.
    await fireEvent.click(within(kimAnswer).getByTestId("vote-down"));
    await waitFor(() => expect(within(kimAnswer).getByTestId("score")).toHaveTextContent("-1"));
    expect(up).toHaveAttribute("aria-pressed", "false");
    expect(backend.community.answers.find((a) => a.answerId === fromKim)!.votes.size).toBe(1);
    await fireEvent.click(within(kimAnswer).getByTestId("vote-down"));
    await waitFor(() => expect(within(kimAnswer).getByTestId("score")).toHaveTextContent("0"));
    expect(backend.community.answers.find((a) => a.answerId === fromKim)!.votes.size).toBe(0);

    await fireEvent.click(within(answers()[1]!).getByTestId("accept"));
    await waitFor(() => expect(answers().map((a) => a.dataset.answerId)).toEqual([fromPark, fromKim]));
    expect(within(answers()[0]!).getByTestId("accepted")).toHaveTextContent("채택됨");
    expect(within(answers()[0]!).getByTestId("accept")).toHaveTextContent("채택 취소");
  });

  it("filters the feed by search, hobby and unanswered, and pages with 더 보기", async () => {
    const { backend, kim, park } = community();
    const barre = backend.community.seedQuestion(kim, "guitar", "바레 코드가 어려워요", "검지가 아파요.");
    backend.community.seedQuestion(park, "piano", "페달 사용법", "언제 밟나요?");
    backend.community.seedQuestion(park, "piano", "손가락 번호", "악보의 숫자가 궁금해요.");
    backend.community.seedAnswer(barre, park, "손목 각도를 바꿔 보세요.");
    backend.community.pageSize = 2;
    await openCommunity(backend);

    await waitFor(() => expect(listed("question-list")).toEqual(["손가락 번호", "페달 사용법"]));
    await fireEvent.click(screen.getByTestId("community-more"));
    await waitFor(() => expect(listed("question-list")).toEqual(["손가락 번호", "페달 사용법", "바레 코드가 어려워요"]));
    expect(screen.queryByTestId("community-more")).not.toBeInTheDocument();

    await fireEvent.input(screen.getByTestId("community-search"), { target: { value: "검지" } });
    await fireEvent.click(screen.getByTestId("community-search-submit"));
    await waitFor(() => expect(listed("question-list")).toEqual(["바레 코드가 어려워요"]));
    expect(within(screen.getByTestId("question-list")).getByTestId("answer-count")).toHaveTextContent("답변 1개");

    await fireEvent.input(screen.getByTestId("community-search"), { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("community-search-submit"));
    await fireEvent.change(screen.getByTestId("community-hobby"), { target: { value: "piano" } });
    await waitFor(() => expect(listed("question-list")).toEqual(["손가락 번호", "페달 사용법"]));

    await fireEvent.change(screen.getByTestId("community-hobby"), { target: { value: "" } });
    await fireEvent.change(screen.getByTestId("community-sort"), { target: { value: "unanswered" } });
    await waitFor(() => expect(listed("question-list")).toEqual(["손가락 번호", "페달 사용법"]));
    await fireEvent.input(screen.getByTestId("community-search"), { target: { value: "드럼" } });
    await fireEvent.click(screen.getByTestId("community-search-submit"));
    expect(await screen.findByTestId("community-empty")).toHaveTextContent("조건에 맞는 질문이 없어요.");
  });

  it("works offline: says the feed is from this device, posts a question that waits to sync", async () => {
    const { backend, kim } = community(false);
    backend.community.seedQuestion(kim, "guitar", "한 번도 열지 않은 질문", "서버에만 있어요.");
    await openCommunity(backend);
    expect(await screen.findByTestId("community-from-cache")).toHaveTextContent("이 기기에 저장된 질문만");
    expect(listed("question-list")).toEqual([]);

    await ask("오프라인 질문", "비행기 안에서 써요.");
    expect(await screen.findByTestId("thread-notice")).toHaveTextContent("서버에 연결되면 올라가요");
    expect(within(screen.getByTestId("thread-question")).getByTestId("pending")).toHaveTextContent("동기화 대기 중");
    expect(screen.getByTestId("thread-from-cache")).toBeInTheDocument();

    // Back from a new question leads to "my questions".
    await fireEvent.click(screen.getByTestId("thread-back"));
    await waitFor(() => expect(listed("my-questions")).toEqual(["오프라인 질문"]));
    expect(within(screen.getByTestId("my-questions")).getByTestId("pending")).toHaveTextContent("동기화 대기 중");
    await fireEvent.click(screen.getByTestId("community-tab-feed"));
    await waitFor(() => expect(listed("question-list")).toEqual(["오프라인 질문"]));
    expect(within(screen.getByTestId("question-list")).getByTestId("pending")).toHaveTextContent("동기화 대기 중");

    // Back online and synced: the badge is gone and the whole feed shows.
    backend.social.online = true;
    backend.community.deliver();
    await fireEvent.click(screen.getByTestId("community-tab-mine"));
    await waitFor(() => expect(listed("my-questions")).toEqual(["오프라인 질문"]));
    expect(within(screen.getByTestId("my-questions")).queryByTestId("pending")).not.toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("community-tab-feed"));
    await waitFor(() => expect(listed("question-list")).toEqual(["오프라인 질문", "한 번도 열지 않은 질문"]));
    expect(screen.queryByTestId("community-from-cache")).not.toBeInTheDocument();

    // Votes need the server: offline the thread says so instead of failing.
    backend.community.seedAnswer(backend.community.questions[0]!.questionId, kim, "좋은 질문이에요.");
    await openThread("한 번도 열지 않은 질문");
    await waitFor(() => expect(answers()).toHaveLength(1));
    backend.social.online = false;
    await fireEvent.click(within(answers()[0]!).getByTestId("vote-up"));
    expect(await screen.findByTestId("thread-info")).toHaveTextContent("투표와 도움 표시는 연결된 뒤에");
  });

  it("deletes the asker's own question after a confirmation", async () => {
    const { backend, lee } = community();
    backend.community.seedQuestion(lee, "yoga", "아침 요가 순서", "무엇부터 할까요?");
    await openCommunity(backend);
    await fireEvent.click(screen.getByTestId("community-tab-mine"));
    await openThread("아침 요가 순서");
    await fireEvent.click(screen.getByTestId("question-delete"));
    await fireEvent.click(screen.getByTestId("question-delete-confirm"));
    expect(await screen.findByTestId("community-status")).toHaveTextContent("질문을 삭제했어요.");
    await fireEvent.click(screen.getByTestId("community-tab-mine"));
    expect(await screen.findByTestId("community-no-mine")).toBeInTheDocument();
  });

  it("speaks English, AI label included", async () => {
    const { backend, lee } = community(true, "en");
    const q = backend.community.seedQuestion(lee, "guitar", "Barre chords", "They buzz.");
    await backend.llmSettingsSet({ baseUrl: "http://127.0.0.1:8081/v1", model: "qwen2.5" });
    await openCommunity(backend);
    expect(screen.getByTestId("community-tab-mine")).toHaveTextContent("My questions");
    await openThread("Barre chords");
    await fireEvent.click(screen.getByTestId("ask-ai"));
    await waitFor(() => expect(answers()).toHaveLength(1));
    expect(within(answers()[0]!).getByTestId("ai-label")).toHaveTextContent("AI answer · qwen2.5");
    expect(backend.community.answers[0]!.questionId).toBe(q);
  });
});
