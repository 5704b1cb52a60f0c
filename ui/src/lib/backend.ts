// The one module of the UI that calls Tauri's `invoke`. Everything else talks
// to the typed `Backend` interface, so tests can pass a fake backend and the
// real app passes `tauriBackend`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { AnswerStatus } from "./bindings/AnswerStatus";
import type { AnswerView } from "./bindings/AnswerView";
import type { QuestionEditInput } from "./bindings/QuestionEditInput";
import type { QuestionFilter } from "./bindings/QuestionFilter";
import type { QuestionList } from "./bindings/QuestionList";
import type { QuestionSummary } from "./bindings/QuestionSummary";
import type { QuestionView } from "./bindings/QuestionView";
import type { ThreadView } from "./bindings/ThreadView";
import type { CourseDetail } from "./bindings/CourseDetail";
import type { CourseEventKind } from "./bindings/CourseEventKind";
import type { CourseHobby } from "./bindings/CourseHobby";
import type { CourseList } from "./bindings/CourseList";
import type { CourseRecommendations } from "./bindings/CourseRecommendations";
import type { CourseSharing } from "./bindings/CourseSharing";
import type { SharedActivityDeleted } from "./bindings/SharedActivityDeleted";
import type { CourseSyncReport } from "./bindings/CourseSyncReport";
import type { MentorLevel } from "./bindings/MentorLevel";
import type { Account } from "./bindings/Account";
import type { Cached } from "./bindings/Cached";
import type { ChatMessageView } from "./bindings/ChatMessageView";
import type { ChatRoom } from "./bindings/ChatRoom";
import type { Match } from "./bindings/Match";
import type { Recommendation } from "./bindings/Recommendation";
import type { SignupInput } from "./bindings/SignupInput";
import type { Survey } from "./bindings/Survey";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { SyncServer } from "./bindings/SyncServer";
import type { SyncServerInput } from "./bindings/SyncServerInput";
import type { AppInfo } from "./bindings/AppInfo";
import type { AudioInput } from "./bindings/AudioInput";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { LevelPerformanceResult } from "./bindings/LevelPerformanceResult";
import type { PracticeTake } from "./bindings/PracticeTake";
import type { PracticeTarget } from "./bindings/PracticeTarget";
import type { RecordEvent } from "./bindings/RecordEvent";
import type { ChallengeDetail } from "./bindings/ChallengeDetail";
import type { ChallengesGiven } from "./bindings/ChallengesGiven";
import type { ChatEvent } from "./bindings/ChatEvent";
import type { LevelTestResult } from "./bindings/LevelTestResult";
import type { LevelTestView } from "./bindings/LevelTestView";
import type { LlmSettings } from "./bindings/LlmSettings";
import type { LlmSettingsInput } from "./bindings/LlmSettingsInput";
import type { MentorRoom } from "./bindings/MentorRoom";
import type { MentorRoomDetail } from "./bindings/MentorRoomDetail";
import type { MentorTurn } from "./bindings/MentorTurn";
import type { Profile } from "./bindings/Profile";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { Settings } from "./bindings/Settings";
import type { SettingsPatch } from "./bindings/SettingsPatch";

// The account on the sync server, mentor matching and people-to-people chats.
// Lists come back `Cached` (fresh: false = the saved copy, server unreachable);
// chats work offline and sync in the background.
export interface SocialApi {
  accountGet(): Promise<Account | null>;
  /** The server in use (the user's, else the build's default) and whether plain http:// is allowed for it. */
  accountServerGet(): Promise<SyncServer>;
  /** Empty `url` = the build's default. Plain http:// to another computer needs `allowInsecure` (else `insecure_transport`). */
  accountServerSet(input: SyncServerInput): Promise<SyncServer>;
  /** Creates the account; returns its user id (log in afterwards). */
  accountSignup(input: SignupInput): Promise<string>;
  /** Tokens go to the OS keyring; the chat sync starts. */
  accountLogin(email: string, password: string): Promise<Account>;
  accountLogout(): Promise<void>;
  surveyGet(): Promise<Survey | null>;
  surveySave(survey: Survey): Promise<Survey>;
  matchRecommendations(): Promise<Cached<Recommendation>>;
  matchesList(): Promise<Cached<Match>>;
  matchRequest(mentorId: string): Promise<Match>;
  matchAccept(matchId: string): Promise<Match>;
  matchDecline(matchId: string): Promise<Match>;
  chatRooms(): Promise<ChatRoom[]>;
  chatHistory(roomId: string): Promise<ChatMessageView[]>;
  /** Stored at once, also offline; synced when the server is reachable. */
  chatSend(roomId: string, text: string): Promise<ChatMessageView>;
  chatMarkRead(roomId: string): Promise<void>;
  /** `onStatus` gets the current sync status, then every change. */
  chatSyncWatch(onStatus: (status: SyncStatus) => void): Promise<void>;
}

// Community Q&A (signed in). Posting works offline: stored at once, synced in
// the background (`pending` until the server has it). Lists and threads fall
// back to this device's copies (`fromCache`); votes and helpful marks need the
// server, the AI answer the AI provider.
export interface CommunityApi {
  /** Title 1–200 characters, body 1–20 000, a hobby id; `invalid_input` names the field. */
  communityAsk(hobby: string, title: string, body: string): Promise<QuestionView>;
  communityAnswer(questionId: string, body: string): Promise<AnswerView>;
  /** The asker only: their own AI provider answers, else the server's community assistant; `llm_not_configured` when neither is there. */
  communityAnswerAi(questionId: string): Promise<AnswerView>;
  communityEditQuestion(questionId: string, edit: QuestionEditInput): Promise<QuestionView>;
  communityEditAnswer(answerId: string, body: string): Promise<AnswerView>;
  communityDeleteQuestion(questionId: string): Promise<void>;
  communityDeleteAnswer(answerId: string): Promise<void>;
  /** The asker accepts a person's answer; `null` takes it back. */
  communityAccept(questionId: string, answerId: string | null): Promise<QuestionView>;
  communityQuestions(filter: QuestionFilter): Promise<QuestionList>;
  /** Answers come accepted first, then by score, then oldest first. */
  communityThread(questionId: string): Promise<ThreadView>;
  communityMyQuestions(): Promise<QuestionSummary[]>;
  /** 1 up, -1 down, 0 takes the vote back; never on one's own answer. */
  communityVote(answerId: string, value: number): Promise<AnswerStatus>;
  communityHelpful(answerId: string, helpful: boolean): Promise<AnswerStatus>;
}

export interface Backend extends SocialApi, CommunityApi {
  appInfo(): Promise<AppInfo>;
  /** Tells the shell the first screen is painted (it logs the start-up time). */
  appFirstPaint(): Promise<void>;
  settingsGet(): Promise<Settings>;
  settingsUpdate(patch: SettingsPatch): Promise<Settings>;
  profileGet(): Promise<Profile | null>;
  profileSave(input: ProfileInput): Promise<Profile>;

  // The AI mentor (all but `mentorChat` and LLM-written challenges work offline).
  mentorRoomCreate(): Promise<MentorRoomDetail>;
  mentorRooms(): Promise<MentorRoom[]>;
  mentorRoomGet(roomId: string): Promise<MentorRoomDetail>;
  /** A message in the scripted part of the flow (hobby, test, count). */
  mentorSend(roomId: string, text: string): Promise<MentorTurn>;
  /** Free conversation: `onToken` gets the reply piece by piece. */
  mentorChat(roomId: string, text: string, onToken: (text: string) => void): Promise<MentorTurn>;
  mentorChatCancel(roomId: string): Promise<boolean>;
  levelTestGet(roomId: string): Promise<LevelTestView>;
  levelTestSubmit(roomId: string, answers: number[]): Promise<LevelTestResult>;
  /** Adds a take graded against the room's performance part to its (submitted) level test. */
  levelTestPerformanceAttach(roomId: string, takeId: string): Promise<LevelPerformanceResult>;
  challengesGenerate(roomId: string, count: number): Promise<ChallengesGiven>;
  challengeGet(roomId: string, position: number): Promise<ChallengeDetail>;
  challengeStepSet(
    roomId: string,
    position: number,
    step: number,
    done: boolean,
  ): Promise<ChallengeDetail>;
  challengeDoneSet(roomId: string, position: number, done: boolean): Promise<ChallengeDetail>;

  // The AI provider. The API key goes to the OS keyring and never comes back.
  llmSettingsGet(): Promise<LlmSettings>;
  llmSettingsSet(input: LlmSettingsInput): Promise<LlmSettings>;
  llmKeySet(key: string): Promise<void>;
  llmKeyClear(): Promise<boolean>;
  llmKeyPresent(): Promise<boolean>;

  // Practice: targets, the recordings library, the microphone. Offline.
  practiceTargets(): Promise<PracticeTarget[]>;
  /** `fileName`'s extension picks the format (.musicxml/.xml, .mid/.midi, .csv). */
  practiceTargetImport(title: string, fileName: string, bytes: Uint8Array): Promise<PracticeTarget>;
  practiceTargetDelete(targetId: string): Promise<void>;
  /** A target from the performance part of the room's newest level test. */
  practiceTargetFromLevelTest(roomId: string): Promise<PracticeTarget>;
  practiceTakes(): Promise<PracticeTake[]>;
  /** WAV or FLAC bytes, graded against `targetId` when given. */
  practiceTakeImport(title: string, bytes: Uint8Array, targetId: string | null): Promise<PracticeTake>;
  practiceTakeGrade(takeId: string, targetId: string): Promise<PracticeTake>;
  practiceTakeRename(takeId: string, title: string): Promise<PracticeTake>;
  practiceTakeDelete(takeId: string): Promise<void>;
  /** The take's WAV bytes. */
  practiceTakeAudio(takeId: string): Promise<ArrayBuffer>;
  /** Writes the export into the data folder's exports/ and returns its path. */
  practiceTakeExport(takeId: string, format: ExportFormat): Promise<string>;
  practiceInputs(): Promise<AudioInput[]>;
  practiceRecordStart(
    device: string | null,
    title: string,
    targetId: string | null,
    onEvent: (event: RecordEvent) => void,
  ): Promise<void>;
  practiceRecordStop(): Promise<PracticeTake>;

  // Courses: browsing and ranking work offline; coursesSync talks to the server.
  courseHobbies(): Promise<CourseHobby[]>;
  coursesList(hobby: string | null, level: MentorLevel | null): Promise<CourseList>;
  /** A course's page; opening it records a view. */
  courseOpen(courseId: string): Promise<CourseDetail>;
  courseEvent(courseId: string, kind: CourseEventKind): Promise<void>;
  courseRecommendations(hobby: string, level: MentorLevel | null, count: number): Promise<CourseRecommendations>;
  courseSharingGet(): Promise<CourseSharing>;
  courseSharingSet(consent: boolean): Promise<CourseSharing>;
  /** Stops sharing (at once, on the device) and deletes what the server has;
   * `server_unreachable` / `not_signed_in` when it cannot reach the server. */
  courseSharedDelete(): Promise<SharedActivityDeleted>;
  coursesSync(hobbies: string[]): Promise<CourseSyncReport>;
}

/** An error from the backend, with the stable `code` to branch on. */
export class BackendError extends Error {
  readonly code: string;
  /** The input field the error is about, when the backend names one. */
  readonly field: string | null;
  constructor(err: { code: string; message: string; field?: string | null }) {
    super(err.message);
    this.code = err.code;
    this.field = err.field ?? null;
  }
}

function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === "object" && e !== null && "code" in e && "message" in e
  );
}

async function call<T>(
  cmd: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await invoke<T>(cmd, args, headers ? { headers } : undefined);
  } catch (e) {
    throw isApiError(e)
      ? new BackendError(e)
      : new BackendError({ code: "ipc", message: String(e) });
  }
}

const socialTauri: SocialApi = {
  accountGet: () => call("account_get"),
  accountServerGet: () => call("account_server_get"),
  accountServerSet: (input) => call("account_server_set", { input }),
  accountSignup: (input) => call("account_signup", { input }),
  accountLogin: (email, password) => call("account_login", { email, password }),
  accountLogout: () => call("account_logout"),
  surveyGet: () => call("survey_get"),
  surveySave: (survey) => call("survey_save", { survey }),
  matchRecommendations: () => call("match_recommendations"),
  matchesList: () => call("matches_list"),
  matchRequest: (mentorId) => call("match_request", { mentorId }),
  matchAccept: (matchId) => call("match_accept", { matchId }),
  matchDecline: (matchId) => call("match_decline", { matchId }),
  chatRooms: () => call("chat_rooms"),
  chatHistory: (roomId) => call("chat_history", { roomId }),
  chatSend: (roomId, text) => call("chat_send", { roomId, text }),
  chatMarkRead: (roomId) => call("chat_mark_read", { roomId }),
  chatSyncWatch: (onStatus) =>
    call("chat_sync_watch", { onStatus: new Channel<SyncStatus>(onStatus) }),
};

const communityTauri: CommunityApi = {
  communityAsk: (hobby, title, body) => call("community_ask", { hobby, title, body }),
  communityAnswer: (questionId, body) => call("community_answer", { questionId, body }),
  communityAnswerAi: (questionId) => call("community_answer_ai", { questionId }),
  communityEditQuestion: (questionId, edit) =>
    call("community_edit_question", { questionId, edit }),
  communityEditAnswer: (answerId, body) => call("community_edit_answer", { answerId, body }),
  communityDeleteQuestion: (questionId) => call("community_delete_question", { questionId }),
  communityDeleteAnswer: (answerId) => call("community_delete_answer", { answerId }),
  communityAccept: (questionId, answerId) => call("community_accept", { questionId, answerId }),
  communityQuestions: (filter) => call("community_questions", { filter }),
  communityThread: (questionId) => call("community_thread", { questionId }),
  communityMyQuestions: () => call("community_my_questions"),
  communityVote: (answerId, value) => call("community_vote", { answerId, value }),
  communityHelpful: (answerId, helpful) => call("community_helpful", { answerId, helpful }),
};

export const tauriBackend: Backend = {
  ...socialTauri,
  ...communityTauri,
  appInfo: () => call("app_info"),
  appFirstPaint: () => call("app_first_paint"),
  settingsGet: () => call("settings_get"),
  settingsUpdate: (patch) => call("settings_update", { patch }),
  profileGet: () => call("profile_get"),
  profileSave: (input) => call("profile_save", { input }),
  mentorRoomCreate: () => call("mentor_room_create"),
  mentorRooms: () => call("mentor_rooms"),
  mentorRoomGet: (roomId) => call("mentor_room_get", { roomId }),
  mentorSend: (roomId, text) => call("mentor_send", { roomId, text }),
  mentorChat: (roomId, text, onToken) => {
    const onEvent = new Channel<ChatEvent>((event) => {
      if (event.event === "token") onToken(event.text);
    });
    return call("mentor_chat", { roomId, text, onEvent });
  },
  mentorChatCancel: (roomId) => call("mentor_chat_cancel", { roomId }),
  levelTestGet: (roomId) => call("level_test_get", { roomId }),
  levelTestSubmit: (roomId, answers) => call("level_test_submit", { roomId, answers }),
  levelTestPerformanceAttach: (roomId, takeId) =>
    call("level_test_performance_attach", { roomId, takeId }),
  challengesGenerate: (roomId, count) => call("challenges_generate", { roomId, count }),
  challengeGet: (roomId, position) => call("challenge_get", { roomId, position }),
  challengeStepSet: (roomId, position, step, done) =>
    call("challenge_step_set", { roomId, position, step, done }),
  challengeDoneSet: (roomId, position, done) =>
    call("challenge_done_set", { roomId, position, done }),
  llmSettingsGet: () => call("llm_settings_get"),
  llmSettingsSet: (input) => call("llm_settings_set", { input }),
  llmKeySet: (key) => call("llm_key_set", { key }),
  llmKeyClear: () => call("llm_key_clear"),
  llmKeyPresent: () => call("llm_key_present"),
  practiceTargets: () => call("practice_targets"),
  // File bytes go as the raw request body; text as percent-encoded headers.
  practiceTargetImport: (title, fileName, bytes) =>
    call("practice_target_import", bytes, {
      "x-title": encodeURIComponent(title),
      "x-file-name": encodeURIComponent(fileName),
    }),
  practiceTargetDelete: (targetId) => call("practice_target_delete", { targetId }),
  practiceTargetFromLevelTest: (roomId) => call("practice_target_from_level_test", { roomId }),
  practiceTakes: () => call("practice_takes"),
  practiceTakeImport: (title, bytes, targetId) =>
    call("practice_take_import", bytes, {
      "x-title": encodeURIComponent(title),
      "x-target-id": encodeURIComponent(targetId ?? ""),
    }),
  practiceTakeGrade: (takeId, targetId) => call("practice_take_grade", { takeId, targetId }),
  practiceTakeRename: (takeId, title) => call("practice_take_rename", { takeId, title }),
  practiceTakeDelete: (takeId) => call("practice_take_delete", { takeId }),
  practiceTakeAudio: (takeId) => call("practice_take_audio", { takeId }),
  practiceTakeExport: (takeId, format) => call("practice_take_export", { takeId, format }),
  practiceInputs: () => call("practice_inputs"),
  practiceRecordStart: (device, title, targetId, onEvent) =>
    call("practice_record_start", {
      device,
      title,
      targetId,
      onEvent: new Channel<RecordEvent>(onEvent),
    }),
  practiceRecordStop: () => call("practice_record_stop"),
  courseHobbies: () => call("course_hobbies"),
  coursesList: (hobby, level) => call("courses_list", { hobby, level }),
  courseOpen: (courseId) => call("course_open", { courseId }),
  courseEvent: (courseId, kind) => call("course_event", { courseId, kind }),
  courseRecommendations: (hobby, level, count) =>
    call("course_recommendations", { hobby, level, count }),
  courseSharingGet: () => call("course_sharing_get"),
  courseSharingSet: (consent) => call("course_sharing_set", { consent }),
  courseSharedDelete: () => call("course_shared_delete"),
  coursesSync: (hobbies) => call("courses_sync", { hobbies }),
};
