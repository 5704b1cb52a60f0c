import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import App from "../App.svelte";
import { fakeBackend, type FakeBackend } from "./fakeBackend";

async function openCourses(backend: FakeBackend) {
  render(App, { backend });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(document.querySelector('[data-nav="courses"]')!);
  await screen.findByTestId("course-list");
}

const titles = (testid: string) =>
  within(screen.getByTestId(testid))
    .queryAllByTestId("course-card")
    .map((c) => c.dataset.course);

describe("Courses", () => {
  it("browses offline, opens a course, starts it and stops recommending it", async () => {
    const backend = fakeBackend();
    await openCourses(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("강의");
    expect(screen.getByTestId("courses-bundled")).toBeInTheDocument();
    await waitFor(() => expect(titles("course-list")).toHaveLength(4));
    expect(titles("course-recommendations")).toContain("guitar-b-open-chords");
    expect(within(screen.getByTestId("course-recommendations")).getAllByTestId("course-reason")[0]).toHaveTextContent(
      "이 레벨에서 처음 듣기 좋은 강의",
    );

    await fireEvent.change(screen.getByTestId("courses-level"), { target: { value: "intermediate" } });
    await waitFor(() => expect(titles("course-list")).toEqual(["guitar-i-barre"]));
    await fireEvent.click(within(screen.getByTestId("course-list")).getByText("바레 코드 정복"));
    const detail = await screen.findByTestId("course-detail");
    expect(detail).toHaveTextContent("바레 코드 정복을 배워요.");
    expect(within(screen.getByTestId("course-prerequisites")).getByText("오픈 코드 8개로 첫 곡")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("course-start"));
    expect(await screen.findByTestId("course-started")).toHaveTextContent("수강 중");
    expect(backend.courses.events.map((e) => e.kind)).toEqual(["view", "click"]);

    await fireEvent.click(screen.getByTestId("course-back"));
    await screen.findByTestId("course-list");
    expect(titles("course-recommendations")).not.toContain("guitar-i-barre");
  });

  it("shares only what happens after consent, syncs, and then explains recommendations", async () => {
    const backend = fakeBackend();
    backend.courses.serverSet = true;
    await openCourses(backend);
    // Opening the screen syncs quietly when the server is reachable.
    await waitFor(() => expect(backend.courses.syncs).toBe(1));
    expect(screen.queryByTestId("courses-notice")).not.toBeInTheDocument();
    const consent = (await screen.findByTestId("courses-consent")) as HTMLInputElement;
    expect(consent.checked).toBe(false);
    await waitFor(() => expect(titles("course-list")).toHaveLength(4));
    await fireEvent.click(within(screen.getByTestId("course-list")).getByText("오픈 코드 8개로 첫 곡"));
    await fireEvent.click(await screen.findByTestId("course-back"));
    await waitFor(() =>
      expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("기기에만 있는 기록 1개"),
    );

    await fireEvent.click(screen.getByTestId("courses-consent"));
    await waitFor(() => expect(backend.courses.consent).toBe(true));
    await fireEvent.click(within(screen.getByTestId("course-list")).getByText("튜닝과 자세"));
    await fireEvent.click(await screen.findByTestId("course-back"));
    await waitFor(() => expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낼 기록 1개"));

    await fireEvent.click(screen.getByTestId("courses-sync"));
    expect(await screen.findByTestId("courses-notice")).toHaveTextContent("동기화했어요");
    await waitFor(() => expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낸 기록 1개"));
    expect(backend.courses.events.filter((e) => e.shared)).toHaveLength(1);
    await waitFor(() =>
      expect(within(screen.getByTestId("course-recommendations")).getAllByTestId("course-reason")[0]).toHaveTextContent(
        "「오픈 코드 8개로 첫 곡」을 본 사람들이 많이 본 강의",
      ),
    );
  });

  it("stops sharing and deletes what was sent, after asking once more", async () => {
    const backend = fakeBackend();
    backend.courses.serverSet = true;
    await backend.courseSharingSet(true);
    await backend.courseEvent("guitar-b-tuning", "click");
    await openCourses(backend);
    await waitFor(() => expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낸 기록 1개"));
    await backend.courseEvent("guitar-b-strumming", "view");

    await fireEvent.click(screen.getByTestId("courses-delete-shared"));
    expect(screen.getByRole("group")).toHaveTextContent("이 기기의 기록은 남아서");
    expect(backend.courses.uploaded).toBe(1);
    await fireEvent.click(screen.getByTestId("courses-delete-shared-confirm"));
    expect(await screen.findByTestId("courses-notice")).toHaveTextContent("서버에서 기록 1개를 지웠어요");
    expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낼 기록 0개 · 보낸 기록 0개 · 기기에만 있는 기록 2개");
    expect(screen.getByTestId("courses-consent")).not.toBeChecked();
    expect(backend.courses.consent).toBe(false);
    expect(screen.queryByTestId("courses-delete-shared")).not.toBeInTheDocument();
  });

  it("stops sharing even when the server cannot be reached to delete", async () => {
    const backend = fakeBackend();
    backend.courses.serverSet = true;
    await backend.courseSharingSet(true);
    await backend.courseEvent("guitar-b-tuning", "click");
    backend.courses.offline = true;
    await openCourses(backend);
    await waitFor(() => expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낼 기록 1개"));
    await fireEvent.click(screen.getByTestId("courses-delete-shared"));
    await fireEvent.click(screen.getByTestId("courses-delete-shared-confirm"));
    expect(await screen.findByTestId("courses-notice")).toHaveTextContent("아직 지우지 못했어요");
    await waitFor(() => expect(screen.getByTestId("courses-consent")).not.toBeChecked());
    expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낼 기록 0개 · 보낸 기록 0개 · 기기에만 있는 기록 1개");
  });

  it("says plainly when the server is unreachable and keeps the list", async () => {
    const backend = fakeBackend();
    backend.courses.serverSet = true;
    backend.courses.offline = true;
    await openCourses(backend);
    await waitFor(() => expect(titles("course-list")).toHaveLength(4));
    // The quiet sync on opening says nothing; the button says what happened.
    expect(screen.queryByTestId("courses-notice")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("courses-sync"));
    expect(await screen.findByTestId("courses-notice")).toHaveTextContent("서버에 연결할 수 없어요");
    expect(titles("course-list")).toHaveLength(4);
  });

  it("sends consented activity by itself when the screen opens online", async () => {
    const backend = fakeBackend();
    backend.courses.serverSet = true;
    await backend.courseSharingSet(true);
    await backend.courseEvent("guitar-b-tuning", "click");
    await openCourses(backend);
    await waitFor(() => expect(screen.getByTestId("courses-sharing-counts")).toHaveTextContent("보낸 기록 1개"));
    expect(backend.courses.uploaded).toBe(1);
  });

  it("starts at the hobby and level of the learner's AI mentor room, in English too", async () => {
    const backend = fakeBackend({ language: "en" });
    const room = await backend.mentorRoomCreate();
    await backend.mentorSend(room.room.id, "I want to learn the piano");
    await openCourses(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Courses");
    await waitFor(() => expect(titles("course-list")).toEqual(["piano-b-reading"]));
    expect((screen.getByTestId("courses-hobby") as HTMLSelectElement).value).toBe("piano");
    expect(screen.getByTestId("course-recommendations")).toHaveTextContent("A good first course at this level");
  });
});
