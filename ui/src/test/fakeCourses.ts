// The courses part of the fake backend: a small catalogue in memory, the
// learner's events and consent, and a fake "model" in which every course of
// a hobby was viewed by the people who viewed the hobby's first course.
import { type Backend } from "../lib/backend";
import type { CourseRecommendation } from "../lib/bindings/CourseRecommendation";
import type { CourseView } from "../lib/bindings/CourseView";
import type { MentorLevel } from "../lib/bindings/MentorLevel";
import { fail } from "./fail";

type CourseMethods = Pick<
  Backend,
  | "courseHobbies"
  | "coursesList"
  | "courseOpen"
  | "courseEvent"
  | "courseRecommendations"
  | "courseSharingGet"
  | "courseSharingSet"
  | "courseSharedDelete"
  | "coursesSync"
>;

export interface FakeCourses {
  events: { courseId: string; kind: "view" | "click"; shared: boolean }[];
  consent: boolean;
  uploaded: number;
  /** Hobbies whose model the fake server has (after a sync). */
  models: Set<string>;
  /** Whether a sync server address is set (else sync fails as the core does). */
  serverSet: boolean;
  /** Makes syncs fail as if the server were unreachable. */
  offline: boolean;
  /** How many syncs reached the fake server. */
  syncs: number;
  /** Whether a learner is signed in (deleting shared activity needs one). */
  signedIn: boolean;
}


function course(id: string, hobby: string, level: MentorLevel, ko: string, en: string, prerequisites: string[] = []): CourseView {
  return {
    id,
    hobby,
    level,
    title: { ko, en },
    summary: { ko: `${ko}을 배워요.`, en: `Learn ${en.toLowerCase()}.` },
    lessons: 8,
    minutes: 120,
    tags: ["basics"],
    instructor: "김하늘",
    prerequisites,
    started: false,
  };
}

const CATALOGUE: CourseView[] = [
  course("guitar-b-open-chords", "guitar", "beginner", "오픈 코드 8개로 첫 곡", "Your first song with open chords"),
  course("guitar-b-strumming", "guitar", "beginner", "스트로크 패턴 익히기", "Strumming patterns"),
  course("guitar-b-tuning", "guitar", "beginner", "튜닝과 자세", "Tuning and posture"),
  course("guitar-i-barre", "guitar", "intermediate", "바레 코드 정복", "Mastering barre chords", ["guitar-b-open-chords"]),
  course("piano-b-reading", "piano", "beginner", "악보 읽기 첫걸음", "First steps in reading music"),
];

export function fakeCourses(): { methods: CourseMethods; state: FakeCourses } {
  const state: FakeCourses = { events: [], consent: false, uploaded: 0, models: new Set(), serverSet: false, offline: false, syncs: 0, signedIn: true };

  const started = (id: string) => state.events.some((e) => e.courseId === id && e.kind === "click");
  const view = (c: CourseView): CourseView => ({ ...c, started: started(c.id) });
  const find = (id: string) => CATALOGUE.find((c) => c.id === id) ?? fail("not_found", `unknown courseId \`${id}\`: no course has it`);
  const hobbyOk = (h: string) => {
    if (!CATALOGUE.some((c) => c.hobby === h)) fail("invalid_input", `invalid hobby: \`${h}\` is not a hobby of the taxonomy`);
  };
  const record = (courseId: string, kind: "view" | "click") =>
    state.events.push({ courseId, kind, shared: state.consent });
  /** Events shared but not sent yet stay on the device. */
  const withdraw = () => {
    let pending = state.events.filter((e) => e.shared).length - state.uploaded;
    for (const e of [...state.events].reverse()) {
      if (pending === 0) break;
      if (e.shared) {
        e.shared = false;
        pending -= 1;
      }
    }
  };
  const counts = () => ({
    consent: state.consent,
    pending: state.events.filter((e) => e.shared).length - state.uploaded,
    uploaded: state.uploaded,
    localOnly: state.events.filter((e) => !e.shared).length,
  });

  const methods: CourseMethods = {
    courseHobbies: async () => [
      { id: "guitar", name: { ko: "기타", en: "guitar" } },
      { id: "piano", name: { ko: "피아노", en: "piano" } },
    ],
    coursesList: async (hobby, level) => {
      if (hobby) hobbyOk(hobby);
      return {
        courses: CATALOGUE.filter((c) => (!hobby || c.hobby === hobby) && (!level || c.level === level)).map(view),
        source: state.models.size > 0 ? "server" : "bundled",
        version: "fake-1",
      };
    },
    courseOpen: async (id) => {
      const c = find(id);
      record(id, "view");
      const withModel = state.models.has(c.hobby);
      return {
        course: view(c),
        prerequisites: c.prerequisites.map((p) => view(find(p))),
        alsoViewed: withModel ? CATALOGUE.filter((x) => x.hobby === c.hobby && x.id !== id).slice(0, 2).map(view) : [],
      };
    },
    courseEvent: async (id, kind) => {
      find(id);
      record(id, kind);
    },
    courseRecommendations: async (hobby, level, count) => {
      hobbyOk(hobby);
      if (count < 1 || count > 50) fail("invalid_input", `invalid count: must be between 1 and 50, got ${count}`);
      const used = new Set(state.events.map((e) => e.courseId));
      const candidates = CATALOGUE.filter((c) => c.hobby === hobby && (!level || c.level === level) && !used.has(c.id));
      const because = state.models.has(hobby) ? CATALOGUE.find((c) => used.has(c.id) && c.hobby === hobby) : undefined;
      const items: CourseRecommendation[] = candidates.slice(0, count).map((c) => ({
        course: view(c),
        reason: because
          ? { kind: "alsoViewed", courseId: because.id, title: because.title }
          : { kind: "startHere" },
      }));
      return { items, fromModel: state.models.has(hobby) };
    },
    courseSharingGet: async () => counts(),
    courseSharingSet: async (consent) => {
      state.consent = consent;
      // as the core: withdrawing keeps every unsent event on the device
      if (!consent) withdraw();
      return counts();
    },
    courseSharedDelete: async () => {
      state.consent = false;
      withdraw();
      if (!state.signedIn) fail("not_signed_in", "not signed in to the sync server: log in first");
      if (state.offline) fail("server_unreachable", "cannot reach the sync server: connection refused");
      const deleted = state.uploaded;
      for (const e of state.events) e.shared = false;
      state.uploaded = 0;
      return { deleted, sharing: counts() };
    },
    coursesSync: async (hobbies) => {
      if (!state.serverSet) fail("invalid_input", "invalid server_url: set the sync server's address first");
      if (state.offline) fail("server_unreachable", "cannot reach the sync server: connection refused");
      state.syncs += 1;
      const before = state.uploaded;
      state.uploaded = state.events.filter((e) => e.shared).length;
      for (const h of hobbies) state.models.add(h);
      return { catalogueUpdated: true, uploaded: state.uploaded - before, models: hobbies, noModel: [], signedIn: true };
    },
  };
  return { methods, state };
}
