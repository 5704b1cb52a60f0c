// The account, matching and chat part of the fake backend: a stand-in for
// the sync server plus this device's offline copy. `online` switches the
// "server" off; `receive` is another participant's message arriving through
// the sync; `setSync` moves the sync state the UI shows.
import { type SocialApi } from "../lib/backend";
import type { Account } from "../lib/bindings/Account";
import type { ChatMessageView } from "../lib/bindings/ChatMessageView";
import type { Match } from "../lib/bindings/Match";
import type { MatchReason } from "../lib/bindings/MatchReason";
import type { Recommendation } from "../lib/bindings/Recommendation";
import type { Survey } from "../lib/bindings/Survey";
import type { SyncState } from "../lib/bindings/SyncState";
import type { SyncStatus } from "../lib/bindings/SyncStatus";
import { fail } from "./fail";

export interface FakeUser {
  userId: string;
  email: string;
  password: string;
  name: string;
  gender: string;
}

interface StoredMessage {
  id: string;
  authorId: string;
  text: string;
  sentAt: number;
}

export interface FakeSocial {
  online: boolean;
  /** The server the user chose (`null`: the build's default, if any). */
  serverUrl: string | null;
  /** The build's default server (`TUTTI_DEFAULT_SERVER`). */
  defaultUrl: string | null;
  /** Servers allowed over plain http:// although not on this computer. */
  insecureAllowed: Set<string>;
  account: Account | null;
  users: FakeUser[];
  surveys: Map<string, Survey>;
  matches: Match[];
  messages: Map<string, StoredMessage[]>;
  /** `${userId} ${roomId}` → how many messages that user has read. */
  read: Map<string, number>;
  sync: SyncStatus;
  seedUser(user: Omit<FakeUser, "userId">, survey?: Survey): string;
  /** As if `email` had signed in on this device before. */
  signedInAs(email: string): void;
  seedMatch(mentorId: string, menteeId: string, status: string): Match;
  receive(roomId: string, authorId: string, text: string): void;
  setSync(state: SyncState, lastError?: string | null): void;
}


export function surveyOf(role: string, hobby: string, location: string, extra?: Partial<Survey>): Survey {
  return {
    role,
    hobby,
    gender: "female",
    ageGroup: "20s",
    location,
    activityLevel: "medium",
    level: role === "mentor" ? 4 : 1,
    capacity: role === "mentor" ? 3 : null,
    preferredMenteeGender: null,
    ...extra,
  };
}

export function fakeSocial(): { methods: SocialApi; state: FakeSocial } {
  const listeners: ((s: SyncStatus) => void)[] = [];
  let next = 1;
  let clock = Date.UTC(2025, 0, 1, 9, 0, 0);

  const state: FakeSocial = {
    online: true,
    serverUrl: null,
    defaultUrl: null,
    insecureAllowed: new Set(),
    account: null,
    users: [],
    surveys: new Map(),
    matches: [],
    messages: new Map(),
    read: new Map(),
    sync: { state: "offline", lastError: null, remoteChanges: 0 },
    seedUser(user, survey) {
      const userId = `u${next++}`;
      state.users.push({ ...user, userId });
      if (survey) state.surveys.set(userId, survey);
      return userId;
    },
    signedInAs(email) {
      const u = state.users.find((x) => x.email === email) ?? fail("not_found", email);
      if (!state.serverUrl && !state.defaultUrl) state.serverUrl = "http://127.0.0.1:8080";
      state.account = { userId: u.userId, email: u.email, serverUrl: (state.serverUrl ?? state.defaultUrl)! };
      state.sync = { ...state.sync, state: state.online ? "synced" : "offline" };
    },
    seedMatch(mentorId, menteeId, status) {
      const m: Match = {
        id: `m${next++}`,
        mentorId,
        mentorName: user(mentorId).name,
        menteeId,
        menteeName: user(menteeId).name,
        hobby: state.surveys.get(mentorId)?.hobby ?? "guitar",
        status,
        myRole: "mentee",
        createdAt: new Date(clock).toISOString(),
        updatedAt: new Date(clock).toISOString(),
      };
      state.matches.push(m);
      return m;
    },
    receive(roomId, authorId, text) {
      const list = state.messages.get(roomId) ?? [];
      list.push({ id: `msg${next++}`, authorId, text, sentAt: clock++ });
      state.messages.set(roomId, list);
      publish({ ...state.sync, remoteChanges: state.sync.remoteChanges + 1 });
    },
    setSync(s, lastError = null) {
      publish({ ...state.sync, state: s, lastError });
    },
  };

  function publish(s: SyncStatus) {
    state.sync = s;
    for (const l of listeners) l(s);
  }

  function user(id: string): FakeUser {
    return state.users.find((u) => u.userId === id) ?? fail("not_found", `no user ${id}`);
  }

  function me(): Account {
    return state.account ?? fail("not_signed_in", "sign in first");
  }

  /** Plain http:// to a host that is not this computer (as the core decides). */
  function insecure(url: string): boolean {
    return /^http:\/\//.test(url) && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(url);
  }

  function server() {
    const url = state.serverUrl ?? state.defaultUrl;
    if (!url) fail("invalid_input", "invalid server_url: set the sync server's address first");
    if (insecure(url) && !state.insecureAllowed.has(url)) {
      fail("insecure_transport", `refusing plain http:// to ${url}`, "server_url");
    }
    if (!state.online) fail("server_unreachable", "the sync server cannot be reached");
  }

  /** A match as `viewer` sees it. */
  function view(m: Match, viewer: string): Match {
    return { ...m, myRole: m.mentorId === viewer ? "mentor" : "mentee" };
  }

  function mine(viewer: string): Match[] {
    return state.matches
      .filter((m) => m.mentorId === viewer || m.menteeId === viewer)
      .map((m) => view(m, viewer));
  }

  function reasons(mine: Survey, theirs: Survey): MatchReason[] {
    const out: MatchReason[] = [
      { code: "same_hobby", ko: "같은 취미를 가르쳐요", en: "Teaches your hobby" },
    ];
    if (mine.location === theirs.location) {
      out.push({
        code: "same_location",
        ko: `같은 지역 (${theirs.location})`,
        en: `Same location (${theirs.location})`,
      });
    }
    if (mine.ageGroup === theirs.ageGroup) {
      out.push({ code: "same_age_group", ko: "비슷한 연령대", en: "Similar age" });
    }
    return out;
  }

  function setMatch(matchId: string, status: string): Match {
    const a = me();
    server();
    const m = state.matches.find((x) => x.id === matchId) ?? fail("server_rejected", "404 not_found");
    if (m.mentorId !== a.userId) fail("server_not_match_mentor", "only the match's mentor may accept or decline it");
    if (m.status !== "pending") fail("server_match_not_pending", "the match is accepted, not pending");
    m.status = status;
    return view(m, a.userId);
  }

  function messageView(roomId: string, msg: StoredMessage, viewer: string): ChatMessageView {
    void roomId;
    return {
      id: msg.id,
      authorId: msg.authorId,
      authorName: user(msg.authorId).name,
      text: msg.text,
      sentAt: msg.sentAt,
      mine: msg.authorId === viewer,
    };
  }

  const serverSetting = () => {
    const url = state.serverUrl ?? state.defaultUrl;
    return {
      url,
      defaultUrl: state.defaultUrl,
      insecure: url !== null && insecure(url),
      allowInsecure: url !== null && state.insecureAllowed.has(url),
    };
  };

  const methods: SocialApi = {
    accountGet: async () => state.account,
    accountServerGet: async () => serverSetting(),
    accountServerSet: async ({ url, allowInsecure }) => {
      const u = url.trim().replace(/\/+$/, "");
      if (u !== "" && !/^https?:\/\/[^/\s]+$/.test(u)) {
        fail("invalid_input", `invalid server_url: must be http(s)://host[:port]: ${url}`, "server_url");
      }
      const effective = u || state.defaultUrl;
      if (effective && insecure(effective) && !allowInsecure) {
        fail("insecure_transport", `refusing plain http:// to ${effective}`, "server_url");
      }
      if (state.account && state.account.serverUrl !== effective) {
        fail("invalid_input", "invalid server_url: log out before switching to another server", "server_url");
      }
      state.serverUrl = u || null;
      if (effective) {
        if (allowInsecure && insecure(effective)) state.insecureAllowed.add(effective);
        else state.insecureAllowed.delete(effective);
      }
      return serverSetting();
    },
    accountSignup: async (input) => {
      server();
      if (input.password.length < 8) {
        fail("server_invalid_field", "the sync server refused (422 invalid_field): password must be at least 8 characters", "password");
      }
      if (state.users.some((u) => u.email === input.email)) {
        fail("server_email_taken", "the sync server refused (409 email_taken): an account with this email already exists", "email");
      }
      return state.seedUser(input);
    },
    accountLogin: async (email, password) => {
      server();
      const u = state.users.find((x) => x.email === email);
      if (!u || u.password !== password) fail("invalid_credentials", "wrong email or password");
      state.signedInAs(email);
      publish({ state: "synced", lastError: null, remoteChanges: 0 });
      return state.account!;
    },
    accountLogout: async () => {
      state.account = null;
      publish({ state: "offline", lastError: null, remoteChanges: 0 });
    },
    surveyGet: async () => state.surveys.get(me().userId) ?? null,
    surveySave: async (survey) => {
      const a = me();
      server();
      if (!survey.location.trim()) fail("server_invalid_field", "the sync server refused (422 invalid_field): location is required", "location");
      if (survey.role === "mentor" && survey.capacity === null) {
        fail("server_invalid_field", "the sync server refused (422 invalid_field): a mentor's survey needs a capacity", "capacity");
      }
      state.surveys.set(a.userId, survey);
      return survey;
    },
    matchRecommendations: async () => {
      const a = me();
      const mySurvey = state.surveys.get(a.userId) ?? fail("server_survey_required", "the sync server refused (409 survey_required): fill in the survey first");
      const items: Recommendation[] = [...state.surveys]
        .filter(([id, s]) => id !== a.userId && s.role === "mentor" && s.hobby === mySurvey.hobby)
        .map(([id, s]) => {
          const why = reasons(mySurvey, s);
          const accepted = state.matches.filter((m) => m.mentorId === id && m.status === "accepted");
          return {
            mentor: {
              userId: id,
              name: user(id).name,
              hobby: s.hobby,
              gender: s.gender,
              ageGroup: s.ageGroup,
              location: s.location,
              activityLevel: s.activityLevel,
              level: s.level,
              capacity: s.capacity ?? 0,
              acceptedCount: accepted.length,
              available: accepted.length < (s.capacity ?? 0),
            },
            score: 40 + 20 * (why.length - 1),
            reasons: why,
          };
        })
        .sort((x, y) => y.score - x.score);
      return { items, fresh: state.online };
    },
    matchesList: async () => ({ items: mine(me().userId), fresh: state.online }),
    matchRequest: async (mentorId) => {
      const a = me();
      server();
      const m = state.seedMatch(mentorId, a.userId, "pending");
      return view(m, a.userId);
    },
    matchAccept: async (matchId) => setMatch(matchId, "accepted"),
    matchDecline: async (matchId) => setMatch(matchId, "declined"),
    chatRooms: async () => {
      const a = me();
      return mine(a.userId)
        .filter((m) => m.status === "accepted")
        .map((m) => {
          const msgs = state.messages.get(m.id) ?? [];
          const read = state.read.get(`${a.userId} ${m.id}`) ?? 0;
          const last = msgs.at(-1);
          const other = m.myRole === "mentor" ? m.menteeId : m.mentorId;
          return {
            roomId: m.id,
            otherUserId: other,
            otherName: user(other).name,
            hobby: m.hobby,
            myRole: m.myRole,
            unread: msgs.slice(read).filter((x) => x.authorId !== a.userId).length,
            lastMessage: last ? messageView(m.id, last, a.userId) : null,
          };
        });
    },
    chatHistory: async (roomId) => {
      const a = me();
      return (state.messages.get(roomId) ?? []).map((x) => messageView(roomId, x, a.userId));
    },
    chatSend: async (roomId, text) => {
      const a = me();
      const t = text.trim();
      if (!t) fail("invalid_input", "invalid text: must not be empty");
      if (!mine(a.userId).some((m) => m.id === roomId && m.status === "accepted")) {
        fail("not_found", `unknown roomId \`${roomId}\``);
      }
      const list = state.messages.get(roomId) ?? [];
      const msg = { id: `msg${next++}`, authorId: a.userId, text: t, sentAt: clock++ };
      list.push(msg);
      state.messages.set(roomId, list);
      return messageView(roomId, msg, a.userId);
    },
    chatMarkRead: async (roomId) => {
      const a = me();
      state.read.set(`${a.userId} ${roomId}`, (state.messages.get(roomId) ?? []).length);
    },
    chatSyncWatch: async (onStatus) => {
      listeners.push(onStatus);
      onStatus(state.sync);
    },
  };
  return { methods, state };
}
