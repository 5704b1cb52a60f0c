import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { messages } from "../lib/i18n";
import App from "../App.svelte";
import { fakeBackend, type FakeBackend } from "./fakeBackend";

const MUSICXML = '<?xml version="1.0"?><score-partwise version="4.0"></score-partwise>';

async function openPractice(backend: FakeBackend) {
  render(App, { backend });
  await screen.findByRole("heading", { level: 1 });
  await fireEvent.click(document.querySelector('[data-nav="practice"]')!);
  await screen.findByTestId("target-file");
}

async function pick(testid: string, name: string, content: string) {
  const input = screen.getByTestId(testid) as HTMLInputElement;
  const file = new File([content], name);
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  await fireEvent.change(input);
}

async function importTarget() {
  await pick("target-file", "Scale.musicxml", MUSICXML);
  await screen.findByTestId("target-notation");
}

describe("Practice", () => {
  it("names its file pickers in the app's language, not the browser's", async () => {
    const backend = fakeBackend();
    await openPractice(backend);
    // the visible button is the label of the (visually hidden) native input
    expect(screen.getByLabelText(/목표 멜로디 가져오기/)).toBe(screen.getByTestId("target-file"));
    expect(screen.getByLabelText(/녹음 파일 가져오기/)).toBe(screen.getByTestId("take-file"));
  });

  it("imports a target and a WAV take and shows the graded take with scores and colours", async () => {
    const backend = fakeBackend();
    await openPractice(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("연습");
    await importTarget();
    const select = screen.getByTestId("target-select") as HTMLSelectElement;
    expect(select.selectedOptions[0]).toHaveTextContent("Scale");

    await pick("take-file", "take.wav", "RIFF....WAVEfmt ");
    const result = await screen.findByTestId("take-result");
    expect(within(result).getByTestId("score-total")).toHaveTextContent("85");
    expect(within(result).getByTestId("score-pitch")).toHaveTextContent("75");
    expect(within(result).getByTestId("score-rhythm")).toHaveTextContent("100");
    // The verdict of each note, in order, as the notation colours it.
    const notes = within(screen.getByTestId("take-notation")).getAllByRole("listitem");
    expect(notes.map((n) => n.dataset.verdict)).toEqual(["right", "right", "sharp", "right"]);
    expect(notes[2]).toHaveTextContent("높음");
    expect(within(result).getByTestId("count-sharp")).toHaveTextContent("1");
    expect(screen.getByTestId("graded-target-notation")).toBeInTheDocument();
    // The legend names every verdict.
    for (const word of ["맞음", "높음", "낮음", "빠름", "늦음", "빠뜨림", "추가"]) {
      expect(within(result).getByRole("list", { name: "색의 뜻" })).toHaveTextContent(word);
    }
    expect(backend.practice.takes).toHaveLength(1);
    expect(backend.practice.takes[0]!.grade?.targetTitle).toBe("Scale");
  });

  it("shows a clear error for a file that is not audio and keeps nothing", async () => {
    const backend = fakeBackend({ language: "en" });
    await openPractice(backend);
    await pick("take-file", "notes.txt", "hello");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      `${messages.en["error.invalid_input"]} (${messages.en["field.audio"]})`,
    );
    expect(backend.practice.takes).toHaveLength(0);
    expect(screen.getByText("No recordings yet.")).toBeInTheDocument();
  });

  it("rejects a target file that is not MusicXML", async () => {
    const backend = fakeBackend({ language: "en" });
    await openPractice(backend);
    await pick("target-file", "bad.musicxml", "<html></html>");
    expect(await screen.findByRole("alert")).toHaveTextContent(`(${messages.en["field.file"]})`);
    expect(backend.practice.targets).toHaveLength(0);
  });

  it("records with a live level and pitch, then stops into a graded take", async () => {
    const backend = fakeBackend();
    await openPractice(backend);
    await importTarget();
    await fireEvent.click(screen.getByTestId("record-start"));
    await screen.findByTestId("record-stop");
    const send = backend.practice.recording!;
    send({ kind: "level", timeS: 0.1, rmsDbfs: -12, peakDbfs: -3 });
    send({ kind: "pitch", timeS: 0.12, noteName: "A4", midi: 69, cents: 5.4, });
    await waitFor(() => expect(screen.getByTestId("record-pitch")).toHaveTextContent("A4 +5 센트"));
    expect((screen.getByTestId("record-level") as HTMLMeterElement).value).toBeCloseTo(0.8);
    send({ kind: "unvoiced", timeS: 0.2 });
    await waitFor(() => expect(screen.getByTestId("record-pitch")).toHaveTextContent("—"));
    await fireEvent.click(screen.getByTestId("record-stop"));
    const result = await screen.findByTestId("take-result");
    expect(within(result).getByTestId("score-total")).toHaveTextContent("85");
    expect(backend.practice.recording).toBeNull();
  });

  it("saves the take at once when the device goes away mid-take", async () => {
    const backend = fakeBackend({ language: "en" });
    await openPractice(backend);
    await fireEvent.click(screen.getByTestId("record-start"));
    await screen.findByTestId("record-stop");
    backend.practice.recording!({
      kind: "error",
      code: "capture_device_lost",
      message: "the microphone was disconnected: POLLERR",
    });
    expect(await screen.findByTestId("record-problem")).toHaveTextContent(
      messages.en["error.capture_device_lost"],
    );
    await screen.findByTestId("take-result");
    expect(backend.practice.takes).toHaveLength(1);
    expect(screen.getByTestId("record-start")).toBeInTheDocument();
  });

  it("renames, re-grades, plays, exports and deletes (after confirming) a take", async () => {
    const backend = fakeBackend({ language: "en" });
    await openPractice(backend);
    // An ungraded take first (no target yet).
    await pick("take-file", "morning.wav", "RIFF....WAVE");
    expect(await screen.findByTestId("not-graded")).toBeInTheDocument();
    await importTarget();
    await fireEvent.click(screen.getByTestId("take-regrade"));
    expect(await screen.findByTestId("score-total")).toHaveTextContent("85");

    await fireEvent.click(screen.getByTestId("take-rename"));
    await fireEvent.input(screen.getByTestId("rename-input"), { target: { value: "Morning scale" } });
    await fireEvent.click(screen.getByTestId("rename-save"));
    await waitFor(() => expect(screen.getByTestId("take-title")).toHaveTextContent("Morning scale"));
    expect(backend.practice.takes[0]!.title).toBe("Morning scale");

    const created: Blob[] = [];
    URL.createObjectURL = (b: Blob | MediaSource) => {
      created.push(b as Blob);
      return "blob:take";
    };
    URL.revokeObjectURL = () => {};
    await fireEvent.click(screen.getByTestId("take-play"));
    expect(await screen.findByTestId("take-audio")).toHaveAttribute("src", "blob:take");
    expect(created[0]!.type).toBe("audio/wav");

    await fireEvent.click(screen.getByTestId("export-midi"));
    expect(await screen.findByTestId("exported")).toHaveTextContent("Morning scale.mid");

    await fireEvent.click(screen.getByTestId("take-delete"));
    await fireEvent.click(screen.getByTestId("delete-cancel"));
    expect(backend.practice.takes).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("take-delete"));
    await fireEvent.click(screen.getByTestId("delete-confirm"));
    await screen.findByText("No recordings yet.");
    expect(backend.practice.takes).toHaveLength(0);
  });
});
