// The practice part of the fake backend: targets and takes in memory, with
// the real core's validation errors by code. It cannot listen, so a take's
// "transcription" is fixed: four notes, the third a semitone sharp.
import { type Backend } from "../lib/backend";
import type { NoteVerdict } from "../lib/bindings/NoteVerdict";
import type { PracticeTake } from "../lib/bindings/PracticeTake";
import type { PracticeTarget } from "../lib/bindings/PracticeTarget";
import type { RecordEvent } from "../lib/bindings/RecordEvent";
import { fail } from "./fail";

type PracticeMethods = Pick<
  Backend,
  | "practiceTargets"
  | "practiceTargetImport"
  | "practiceTargetDelete"
  | "practiceTakes"
  | "practiceTakeImport"
  | "practiceTakeGrade"
  | "practiceTakeRename"
  | "practiceTakeDelete"
  | "practiceTakeAudio"
  | "practiceTakeExport"
  | "practiceInputs"
  | "practiceRecordStart"
  | "practiceRecordStop"
>;

export interface FakePractice {
  targets: PracticeTarget[];
  takes: PracticeTake[];
  audio: Map<string, Uint8Array>;
  /** The channel of the running recording, if any. */
  recording: ((e: RecordEvent) => void) | null;
  exports: string[];
}

const TAKE_VERDICTS: NoteVerdict[] = ["right", "right", "sharp", "right"];


function title(t: string): string {
  const s = t.trim();
  if (!s) fail("invalid_input", "invalid title: must not be empty");
  return s;
}

const startsWith = (bytes: Uint8Array, magic: string) =>
  new TextDecoder().decode(bytes.slice(0, magic.length)) === magic;

export function fakePractice(): { methods: PracticeMethods; state: FakePractice } {
  const state: FakePractice = {
    targets: [],
    takes: [],
    audio: new Map(),
    recording: null,
    exports: [],
  };
  let next = 1;

  function target(id: string): PracticeTarget {
    const x = state.targets.find((t) => t.id === id);
    if (!x) fail("not_found", `unknown target_id \`${id}\`: no practice target has it`);
    return x;
  }
  function take(id: string): PracticeTake {
    const x = state.takes.find((t) => t.id === id);
    if (!x) fail("not_found", `unknown take_id \`${id}\`: no take has it`);
    return x;
  }
  function graded(tk: PracticeTake, targetId: string | null): PracticeTake {
    if (!targetId) return { ...tk, notation: { ...tk.notation, verdicts: [] }, grade: null };
    const tg = target(targetId);
    const counts = { right: 0, sharp: 0, flat: 0, early: 0, late: 0, missed: 0, extra: 0 };
    for (const v of TAKE_VERDICTS) counts[v] += 1;
    return {
      ...tk,
      notation: { abc: tk.notation.abc, verdicts: [...TAKE_VERDICTS] },
      grade: {
        targetId: tg.id,
        targetTitle: tg.title,
        pitchScore: 75,
        rhythmScore: 100,
        totalScore: 85,
        tuningOffsetCents: 0,
        tempoRatio: 1,
        counts,
        targetNotation: { abc: tg.abc, verdicts: [...TAKE_VERDICTS] },
      },
    };
  }
  function newTake(name: string, bytes: Uint8Array, targetId: string | null): PracticeTake {
    const t = title(name);
    if (targetId) target(targetId);
    if (!startsWith(bytes, "RIFF") && !startsWith(bytes, "fLaC")) {
      fail("invalid_input", "invalid audio: not a WAV or FLAC file");
    }
    const id = `take-${next++}`;
    const tk = graded(
      {
        id,
        title: t,
        createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, next)).toISOString(),
        durationS: 2,
        sampleRate: 44100,
        noteCount: 4,
        tuningCents: 0,
        notation: { abc: `X:1\nT:${t}\nM:4/4\nL:1/8\nK:C\nC2 D2 ^F2 F2 |]\n`, verdicts: [] },
        grade: null,
      },
      targetId,
    );
    state.takes.unshift(tk);
    state.audio.set(id, bytes);
    return tk;
  }
  function replace(tk: PracticeTake): PracticeTake {
    state.takes = state.takes.map((x) => (x.id === tk.id ? tk : x));
    return tk;
  }

  const methods: PracticeMethods = {
    practiceTargets: async () => [...state.targets],
    practiceTargetImport: async (name, fileName, bytes) => {
      const t = title(name);
      const text = new TextDecoder().decode(bytes);
      const ext = fileName.split(".").pop()?.toLowerCase() ?? "";
      const ok =
        ((ext === "musicxml" || ext === "xml") && text.includes("<score-partwise")) ||
        ((ext === "mid" || ext === "midi") && startsWith(bytes, "MThd")) ||
        (ext === "csv" && text.startsWith("onset_s"));
      if (!["musicxml", "xml", "mid", "midi", "csv"].includes(ext)) {
        fail("invalid_input", "invalid file: use a .musicxml, .xml, .mid, .midi or .csv file");
      }
      if (!ok) fail("invalid_input", "invalid file: unsupported MusicXML: no score-partwise");
      const x: PracticeTarget = {
        id: `target-${next++}`,
        title: t,
        source: ext === "csv" ? "csv" : ext.startsWith("mid") ? "midi" : "musicxml",
        noteCount: 4,
        durationS: 2,
        tempoBpm: 120,
        abc: `X:1\nT:${t}\nM:4/4\nL:1/8\nK:C\nC2 D2 E2 F2 |]\n`,
        createdAt: new Date(Date.UTC(2025, 0, 1)).toISOString(),
        levelTestRoomId: null,
      };
      state.targets.unshift(x);
      return x;
    },
    practiceTargetDelete: async (id) => {
      target(id);
      state.targets = state.targets.filter((t) => t.id !== id);
    },
    practiceTakes: async () => [...state.takes],
    practiceTakeImport: async (name, bytes, targetId) => newTake(name, bytes, targetId),
    practiceTakeGrade: async (id, targetId) => replace(graded(take(id), targetId)),
    practiceTakeRename: async (id, name) => replace({ ...take(id), title: title(name) }),
    practiceTakeDelete: async (id) => {
      take(id);
      state.takes = state.takes.filter((t) => t.id !== id);
      state.audio.delete(id);
    },
    practiceTakeAudio: async (id) => {
      take(id);
      return (state.audio.get(id) ?? new Uint8Array()).slice().buffer;
    },
    practiceTakeExport: async (id, format) => {
      const path = `/data/exports/${take(id).title}.${format === "midi" ? "mid" : "musicxml"}`;
      state.exports.push(path);
      return path;
    },
    practiceInputs: async () => [{ id: "fake-mic", name: "Fake microphone", isDefault: true }],
    practiceRecordStart: async (device, name, targetId, onEvent) => {
      if (state.recording) fail("recording", "a recording is already running: stop it first");
      if (device && device !== "fake-mic") fail("capture_device_not_found", `no input device named "${device}"`);
      if (targetId) target(targetId);
      title(name);
      state.recording = onEvent;
      recordingTitle = name;
      recordingTarget = targetId;
      onEvent({ kind: "started", deviceName: "Fake microphone", sampleRate: 44100 });
    },
    practiceRecordStop: async () => {
      if (!state.recording) fail("recording", "no recording is running");
      state.recording = null;
      return newTake(recordingTitle, new TextEncoder().encode("RIFF fake take"), recordingTarget);
    },
  };
  let recordingTitle = "";
  let recordingTarget: string | null = null;
  return { methods, state };
}
