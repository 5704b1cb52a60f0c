// An in-memory Backend for UI tests: behaves like the real core for the
// commands the UI uses (defaults, patches, validation errors by code, the AI
// mentor's stages and their errors). Its knowledge is a small stand-in for
// tutti-mentor's data: a few hobbies, a 5-question bank, curated challenges.
import { BackendError, type Backend } from "../lib/backend";
import type { AiMessage } from "../lib/bindings/AiMessage";
import type { ChallengeDetail } from "../lib/bindings/ChallengeDetail";
import type { ChallengeSummary } from "../lib/bindings/ChallengeSummary";
import type { LocalText } from "../lib/bindings/LocalText";
import type { MentorCard } from "../lib/bindings/MentorCard";
import type { MentorLevel } from "../lib/bindings/MentorLevel";
import type { MentorRoom } from "../lib/bindings/MentorRoom";
import type { MentorStage } from "../lib/bindings/MentorStage";
import type { MentorTurn } from "../lib/bindings/MentorTurn";
import type { Profile } from "../lib/bindings/Profile";
import type { Settings } from "../lib/bindings/Settings";
import { fakeCommunity, type FakeCommunity } from "./fakeCommunity";
import { fakeCourses, type FakeCourses } from "./fakeCourses";
import { fakePractice, type FakePractice } from "./fakePractice";
import { fakeSocial, type FakeSocial } from "./fakeSocial";
import { fail } from "./fail";

interface Hobby {
  ko: string;
  en: string;
  forms: string[];
  bank: boolean;
  curated: boolean;
}

const HOBBIES: Record<string, Hobby> = {
  guitar: { ko: "기타", en: "guitar", forms: ["기타", "guitar"], bank: true, curated: true },
  piano: { ko: "피아노", en: "piano", forms: ["피아노", "piano"], bank: true, curated: true },
  pottery: { ko: "도예", en: "pottery", forms: ["도예", "pottery"], bank: false, curated: false },
};

interface StoredChallenge {
  id: string;
  source: "curated" | "generated";
  difficulty: number;
  title: LocalText;
  steps: LocalText[];
  materials: LocalText[];
  tools: LocalText[];
  method: LocalText;
  minutes: number;
  stepsDone: boolean[];
  doneAt: string | null;
}

interface FakeRoom {
  room: MentorRoom;
  messages: AiMessage[];
  answers: number[] | null;
  challenges: StoredChallenge[];
  activity: number;
}

const text = (ko: string, en: string): LocalText => ({ ko, en });

/** Hobbies whose level test has a melody to play (the real banks: instruments and singing). */
const INSTRUMENTS = new Set(["guitar", "piano"]);

/** The fake bank: question i's correct option is i % 4. */
function questions(hobby: string) {
  return [0, 1, 2, 3, 4].map((i) => ({
    id: `${hobby}-q${i}`,
    difficulty: 1 + Math.floor(i / 2),
    prompt: text(`${HOBBIES[hobby]?.ko} 문제 ${i + 1}`, `${HOBBIES[hobby]?.en} question ${i + 1}`),
    options: [0, 1, 2, 3].map((j) => text(`보기 ${j + 1}`, `Option ${j + 1}`)),
    answer: i % 4,
    explanation: text(`설명 ${i + 1}`, `Explanation ${i + 1}`),
  }));
}

function plan(prefix: string, name: string, difficulty: number, source: StoredChallenge["source"]) {
  return {
    id: `${prefix}-c${difficulty}`,
    source,
    difficulty,
    title: text(`${name} 과제 ${difficulty}`, `${name} challenge ${difficulty}`),
    steps: [text("준비하기", "Get ready"), text("연습하기", "Practise"), text("녹음하기", "Record")],
    materials: [text("악보", "Sheet music")],
    tools: [text("메트로놈", "Metronome")],
    method: text("천천히 세 번 반복해요.", "Repeat slowly three times."),
    minutes: 10 + difficulty * 5,
    stepsDone: [false, false, false],
    doneAt: null,
  } satisfies StoredChallenge;
}

function levelOf(score: number): MentorLevel {
  return score <= 1 ? "beginner" : score <= 3 ? "intermediate" : "advanced";
}

const levelKo: Record<MentorLevel, string> = { beginner: "초급", intermediate: "중급", advanced: "고급" };


export interface FakeBackend extends Backend {
  readonly settings: Settings;
  /** How often the UI said its first screen was painted. */
  readonly firstPaints: number;
  /** Whether the fake keyring holds a key (the key itself stays inside). */
  readonly keyStored: boolean;
  /** Tokens the fake LLM streams for the next replies. */
  chatTokens: string[];
  /** Makes the next reply stop after its first token until cancelled. */
  holdNextChat(): void;
  /** Every room as stored. */
  rooms(): FakeRoom[];
  /** Practice targets, takes and the running recording. */
  readonly practice: FakePractice;
  /** The account, matching and chats (a fake sync server). */
  readonly social: FakeSocial;
  /** Courses: events, consent and the fake server's models. */
  readonly courses: FakeCourses;
  /** Community questions and answers (server index and device copies). */
  readonly community: FakeCommunity;
}

/**
 * `initial` overrides the settings. Unlike a new installation (whose first
 * run is not done), the fake starts past the first-run screen, as most
 * tests are about the screens after it; `{ firstRunDone: false }` shows it.
 */
export function fakeBackend(initial?: Partial<Settings>): FakeBackend {
  const state = {
    settings: { language: "ko", theme: "system", firstRunDone: true, ...initial } as Settings,
    firstPaints: 0,
    profile: null as Profile | null,
    rooms: new Map<string, FakeRoom>(),
    llm: { baseUrl: null as string | null, model: null as string | null },
    key: null as string | null,
    nextId: 1,
    nextRoom: 1,
    clock: 0,
    hold: false,
    cancels: new Map<string, () => void>(),
    chatTokens: ["좋은 ", "질문이에요!"],
  };

  const practice = fakePractice();
  const social = fakeSocial();
  const courses = fakeCourses();
  const community = fakeCommunity(social.state, () =>
    state.llm.baseUrl && state.llm.model ? state.llm.model : null,
  );
  const now = () => new Date(Date.UTC(2025, 0, 1, 0, 0, state.clock++)).toISOString();
  const ko = () => state.settings.language === "ko";

  function room(id: string): FakeRoom {
    const r = state.rooms.get(id);
    if (!r) fail("not_found", `unknown roomId \`${id}\`: no AI mentor room has it`);
    return r;
  }

  function expectStage(r: FakeRoom, stage: MentorStage, action: string) {
    if (r.room.stage !== stage) {
      fail("wrong_stage", `cannot ${action} now: the room is at stage \`${r.room.stage}\``);
    }
  }

  function validText(t: string): string {
    const v = t.trim();
    if (!v) fail("invalid_input", "invalid text: must not be empty");
    if ([...v].length > 4000) fail("invalid_input", "invalid text: must be at most 4000 characters");
    return v;
  }

  function append(r: FakeRoom, role: AiMessage["role"], body: string, card: MentorCard | null = null, model: string | null = null) {
    const m: AiMessage = { id: state.nextId++, role, text: body, card, model, createdAt: now() };
    r.messages.push(m);
    r.room = { ...r.room, lastMessage: body, updatedAt: m.createdAt };
    r.activity = state.clock;
    return m;
  }

  function turn(r: FakeRoom, from: number): MentorTurn {
    return { room: { ...r.room }, messages: r.messages.slice(from) };
  }

  const countPrompt = (r: FakeRoom) =>
    append(r, "mentor", ko() ? "도전 과제를 몇 개 받아 볼까요? (1~10개)" : "How many challenges would you like? (1–10)", {
      type: "challengeCountPrompt",
      min: 1,
      max: 10,
    });

  function extract(t: string): { hobby: string; mention: string } | null {
    const lower = t.toLowerCase();
    for (const [id, h] of Object.entries(HOBBIES)) {
      const form = h.forms.find((f) => lower.includes(f));
      if (form) return { hobby: id, mention: form };
    }
    const other = /^(\S+?)(을|를)\s*배우/.exec(t);
    return other?.[1] ? { hobby: "other", mention: other[1] } : null;
  }

  function summary(c: StoredChallenge, position: number): ChallengeSummary {
    return {
      position,
      id: c.id,
      difficulty: c.difficulty,
      title: c.title,
      minutes: c.minutes,
      stepsDone: c.stepsDone.filter(Boolean).length,
      stepsTotal: c.steps.length,
      done: c.doneAt !== null,
    };
  }

  function detail(c: StoredChallenge, position: number): ChallengeDetail {
    return {
      position,
      id: c.id,
      source: c.source,
      difficulty: c.difficulty,
      title: c.title,
      steps: c.steps.map((s, i) => ({ text: s, done: c.stepsDone[i] ?? false })),
      materials: c.materials,
      tools: c.tools,
      method: c.method,
      minutes: c.minutes,
      done: c.doneAt !== null,
      doneAt: c.doneAt,
    };
  }

  function challengeAt(roomId: string, position: number): StoredChallenge {
    const r = room(roomId);
    const c = r.challenges[position];
    if (!c) {
      const n = r.challenges.length;
      fail("invalid_input", `invalid position: the room has ${n} challenges (0..${n}), got ${position}`);
    }
    return c;
  }

  const hobbyName = (r: FakeRoom) =>
    r.room.hobby && HOBBIES[r.room.hobby]
      ? ko() ? HOBBIES[r.room.hobby]!.ko : HOBBIES[r.room.hobby]!.en
      : (r.room.hobbyMention ?? "");

  const backend: FakeBackend = {
    get settings() {
      return state.settings;
    },
    get keyStored() {
      return state.key !== null;
    },
    get chatTokens() {
      return state.chatTokens;
    },
    set chatTokens(tokens: string[]) {
      state.chatTokens = tokens;
    },
    holdNextChat() {
      state.hold = true;
    },
    rooms: () => [...state.rooms.values()],

    get firstPaints() {
      return state.firstPaints;
    },

    appInfo: async () => ({ version: "0.1.0", dataDir: "/tmp/tutti-test", schemaVersion: 3 }),
    appFirstPaint: async () => {
      state.firstPaints += 1;
    },
    settingsGet: async () => ({ ...state.settings }),
    settingsUpdate: async (patch) => {
      state.settings = {
        language: patch.language ?? state.settings.language,
        theme: patch.theme ?? state.settings.theme,
        firstRunDone: patch.firstRunDone ?? state.settings.firstRunDone,
      };
      return { ...state.settings };
    },
    profileGet: async () => state.profile,
    profileSave: async (input) => {
      if (!input.displayName.trim()) {
        throw new BackendError({
          code: "invalid_input",
          message: "invalid displayName: must not be empty",
          field: "displayName",
        });
      }
      state.profile = { ...input, displayName: input.displayName.trim(), accountId: null };
      return state.profile;
    },

    mentorRoomCreate: async () => {
      const id = `room-${state.nextRoom++}`;
      const createdAt = now();
      const r: FakeRoom = {
        room: {
          id,
          title: ko() ? "AI 멘토" : "AI mentor",
          stage: "awaitingHobby",
          hobby: null,
          hobbyMention: null,
          level: null,
          lastMessage: null,
          performancePercent: null,
          performancePart: false,
          createdAt,
          updatedAt: createdAt,
        },
        messages: [],
        answers: null,
        challenges: [],
        activity: state.clock,
      };
      state.rooms.set(id, r);
      append(r, "mentor", ko()
        ? "안녕하세요! 저는 Tutti AI 멘토예요. 무엇을 배우고 싶으신가요?"
        : "Hello! I'm Tutti's AI mentor. What would you like to learn?");
      return { room: { ...r.room }, messages: [...r.messages], challenges: [] };
    },
    mentorRooms: async () =>
      [...state.rooms.values()].sort((a, b) => b.activity - a.activity).map((r) => ({ ...r.room })),
    mentorRoomGet: async (roomId) => {
      const r = room(roomId);
      return {
        room: { ...r.room },
        messages: [...r.messages],
        challenges: r.challenges.map(summary),
      };
    },
    mentorSend: async (roomId, raw) => {
      const t = validText(raw);
      const r = room(roomId);
      const from = r.messages.length;
      switch (r.room.stage) {
        case "awaitingHobby": {
          const found = extract(t);
          append(r, "learner", t);
          if (!found) {
            append(r, "mentor", ko()
              ? "어떤 걸 배우고 싶으신지 잘 모르겠어요. 배우고 싶은 취미를 알려 주세요."
              : "I couldn't tell what you'd like to learn. Please name the hobby.");
            break;
          }
          const known = HOBBIES[found.hobby];
          const name = known ? (ko() ? known.ko : known.en) : found.mention;
          r.room = {
            ...r.room,
            hobby: found.hobby,
            hobbyMention: found.mention,
            title: ko() ? `${name} AI 멘토` : `${name} AI mentor`,
          };
          if (known?.bank) {
            r.room.stage = "levelTest";
            r.room.performancePart = INSTRUMENTS.has(found.hobby);
            append(r, "mentor", ko() ? `좋아요, ${name}를 함께 배워 봐요! 레벨 테스트를 볼까요?` : `Great, let's learn ${name}! Shall we take the level test?`, {
              type: "levelTestOffer",
              hobby: found.hobby,
              questionCount: 5,
            });
          } else {
            r.room.stage = "awaitingChallengeCount";
            r.room.level = "beginner";
            append(r, "mentor", ko() ? `${name}에는 레벨 테스트가 없어서 초급부터 시작할게요.` : `There is no level test for ${name}; we'll start at beginner level.`);
            countPrompt(r);
          }
          break;
        }
        case "levelTest":
          append(r, "learner", t);
          append(r, "mentor", ko() ? "먼저 레벨 테스트를 볼까요?" : "Let's take the level test first.", {
            type: "levelTestOffer",
            hobby: r.room.hobby ?? "",
            questionCount: 5,
          });
          break;
        case "awaitingChallengeCount":
          append(r, "learner", t);
          countPrompt(r);
          break;
        case "freeConversation":
          fail("wrong_stage", "cannot send to the scripted mentor (free conversation goes through mentor_chat) now: the room is at stage `free_conversation`");
      }
      return turn(r, from);
    },
    mentorChat: async (roomId, raw, onToken) => {
      const t = validText(raw);
      const r = room(roomId);
      expectStage(r, "freeConversation", "talk freely (the challenges come first)");
      if (!state.llm.baseUrl || !state.llm.model) {
        fail("llm_not_configured", "no AI provider is configured: set its base URL and model in the settings");
      }
      let cancelled = false;
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      state.cancels.set(roomId, () => {
        cancelled = true;
        release();
      });
      const hold = state.hold;
      state.hold = false;
      try {
        let reply = "";
        for (const [i, token] of state.chatTokens.entries()) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (cancelled) fail("llm_cancelled", "the request was cancelled");
          onToken(token);
          reply += token;
          if (hold && i === 0) await held;
        }
        if (cancelled) fail("llm_cancelled", "the request was cancelled");
        const from = r.messages.length;
        append(r, "learner", t);
        append(r, "mentor", reply.trim(), null, state.llm.model);
        return turn(r, from);
      } finally {
        state.cancels.delete(roomId);
      }
    },
    mentorChatCancel: async (roomId) => {
      const cancel = state.cancels.get(roomId);
      cancel?.();
      return cancel !== undefined;
    },
    levelTestGet: async (roomId) => {
      const r = room(roomId);
      expectStage(r, "levelTest", "take the level test");
      const hobby = r.room.hobby ?? "";
      return {
        roomId,
        hobby,
        questions: questions(hobby).map(({ answer: _a, explanation: _e, ...q }) => q),
        performance: INSTRUMENTS.has(hobby)
          ? {
              title: text("도레미 음계", "Do-re-mi scale"),
              instruction: text("천천히 한 음씩 연주해 보세요.", "Play it slowly, one note at a time."),
              kind: "pitched",
              tempoBpm: 80,
              noteCount: 4,
            }
          : null,
      };
    },
    levelTestPerformanceAttach: async (roomId, takeId) => {
      const r = room(roomId);
      const tk = practice.state.takes.find((x) => x.id === takeId);
      if (!tk) fail("not_found", `unknown takeId \`${takeId}\`: no take has it`);
      if (!tk.grade) fail("wrong_stage", "cannot add a take to the level test now: the take is not graded yet");
      const target = practice.state.targets.find((x) => x.id === tk.grade?.targetId);
      if (target?.levelTestRoomId !== roomId) {
        fail("invalid_input", "invalid takeId: the take was not graded against this room's performance part");
      }
      if (r.answers === null) {
        fail("wrong_stage", "cannot add the performance part to the level test now: the written part is not submitted yet");
      }
      const percent = Math.round(tk.grade.totalScore);
      const from = r.messages.length;
      r.room = { ...r.room, performancePercent: percent };
      append(r, "mentor", ko()
        ? `연주 파트 「${target.title}」 정확도는 ${percent}%예요.`
        : `Your performance of "${target.title}" was ${percent}% accurate.`);
      return { takeId, percent, turn: turn(r, from) };
    },
    practiceTargetFromLevelTest: async (roomId) => {
      const r = room(roomId);
      if (!r.room.performancePart) {
        fail("invalid_input", "invalid room_id: this room's level test has no performance part");
      }
      const x = {
        id: `level-target-${state.nextId++}`,
        title: ko() ? "레벨 테스트: 도레미 음계" : "Level test: Do-re-mi scale",
        source: "levelTest" as const,
        noteCount: 4,
        durationS: 3,
        tempoBpm: 80,
        abc: "X:1\nT:Do-re-mi\nM:4/4\nL:1/4\nK:C\nC D E F |]\n",
        createdAt: now(),
        levelTestRoomId: roomId,
      };
      practice.state.targets.unshift(x);
      return x;
    },
    levelTestSubmit: async (roomId, answers) => {
      const r = room(roomId);
      expectStage(r, "levelTest", "take the level test");
      const qs = questions(r.room.hobby ?? "");
      if (answers.length !== qs.length) {
        fail("invalid_input", `invalid answers: level test has ${qs.length} questions but ${answers.length} answers were given`);
      }
      answers.forEach((a, i) => {
        if (!Number.isInteger(a) || a < 0 || a >= 4) {
          fail("invalid_input", `invalid answers: answer ${i} picks option ${a}, but the question has 4 options`);
        }
      });
      const marks = qs.map((q, i) => ({
        questionId: q.id,
        chosen: answers[i] ?? 0,
        answer: q.answer,
        correct: answers[i] === q.answer,
        explanation: q.explanation,
      }));
      const score = marks.filter((m) => m.correct).length;
      const level = levelOf(score);
      const from = r.messages.length;
      r.answers = [...answers];
      r.room = { ...r.room, stage: "awaitingChallengeCount", level };
      append(r, "mentor", ko()
        ? `5문제 중 ${score}문제를 맞혔어요. ${hobbyName(r)} 레벨은 ${levelKo[level]}이에요.`
        : `You got ${score} of 5 right. Your ${hobbyName(r)} level is ${level}.`, {
        type: "levelResult",
        score,
        total: 5,
        level,
      });
      countPrompt(r);
      return { score, total: 5, level, marks, turn: turn(r, from) };
    },
    challengesGenerate: async (roomId, count) => {
      if (!Number.isInteger(count) || count < 1 || count > 10) {
        fail("invalid_input", `invalid count: must be between 1 and 10, got ${count}`);
      }
      const r = room(roomId);
      expectStage(r, "awaitingChallengeCount", "choose challenges");
      const hobby = r.room.hobby ?? "other";
      const curated = HOBBIES[hobby]?.curated ?? false;
      if (!curated && (!state.llm.baseUrl || !state.llm.model)) {
        fail("llm_not_configured", "no AI provider is configured: set its base URL and model in the settings");
      }
      const name = hobbyName(r);
      const level = r.room.level ?? "beginner";
      // Ten curated plans per hobby; the level picks a window as the core does.
      const [start, end] = level === "beginner" ? [0, 4] : level === "intermediate" ? [3, 7] : [6, 10];
      const list = curated
        ? Array.from({ length: end - start }, (_, k) => plan(hobby, name, start + k + 1, "curated"))
        : Array.from({ length: count }, (_, k) => plan(`gen-${roomId}`, name, k + 1, "generated"));
      r.challenges = list.slice(0, count);
      const from = r.messages.length;
      r.room = { ...r.room, stage: "freeConversation" };
      append(r, "mentor", ko()
        ? `${name} 도전 과제 ${r.challenges.length}개를 준비했어요.`
        : `I've prepared ${r.challenges.length} ${name} challenges.`, {
        type: "challengesReady",
        count: r.challenges.length,
      });
      return { challenges: r.challenges.map(summary), turn: turn(r, from) };
    },
    challengeGet: async (roomId, position) => detail(challengeAt(roomId, position), position),
    challengeStepSet: async (roomId, position, step, done) => {
      const c = challengeAt(roomId, position);
      if (step < 0 || step >= c.steps.length) {
        fail("invalid_input", `invalid step: challenge ${position} has ${c.steps.length} steps`);
      }
      c.stepsDone[step] = done;
      return detail(c, position);
    },
    challengeDoneSet: async (roomId, position, done) => {
      const c = challengeAt(roomId, position);
      c.doneAt = done ? (c.doneAt ?? now()) : null;
      return detail(c, position);
    },

    llmSettingsGet: async () => ({
      ...state.llm,
      configured: state.llm.baseUrl !== null && state.llm.model !== null,
    }),
    llmSettingsSet: async ({ baseUrl, model }) => {
      const [url, m] = [baseUrl.trim(), model.trim()];
      if (url || m) {
        if (!url) fail("invalid_input", "invalid baseUrl: must not be empty");
        if (!m) fail("invalid_input", "invalid model: must not be empty");
        if (!/^https?:\/\/[^/\s]+/.test(url)) {
          fail("invalid_input", `invalid baseUrl: must start with http:// or https://: ${url}`);
        }
      }
      state.llm = { baseUrl: url || null, model: m || null };
      return backend.llmSettingsGet();
    },
    llmKeySet: async (key) => {
      const k = key.trim();
      if (!k) fail("invalid_input", "invalid key: must not be empty");
      state.key = k;
    },
    llmKeyClear: async () => {
      const had = state.key !== null;
      state.key = null;
      return had;
    },
    llmKeyPresent: async () => state.key !== null,
    ...practice.methods,
    practice: practice.state,
    ...social.methods,
    social: social.state,
    ...courses.methods,
    courses: courses.state,
    ...community.methods,
    community: community.state,
  };
  return backend;
}
