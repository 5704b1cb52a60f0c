// The community part of the fake backend: the server's question index and
// this device's copies in one place. It checks input like the core (same
// codes, field named in the message), keeps posts written offline `pending`
// until `deliver()`, answers lists and threads from what this device knows
// when the "server" (`social.online`) is off, and orders answers like the
// core: accepted first, then by score, then oldest first.
import { type CommunityApi } from "../lib/backend";
import type { AnswerStatus } from "../lib/bindings/AnswerStatus";
import type { AnswerView } from "../lib/bindings/AnswerView";
import type { QuestionSummary } from "../lib/bindings/QuestionSummary";
import type { QuestionView } from "../lib/bindings/QuestionView";
import type { FakeSocial } from "./fakeSocial";
import { fail } from "./fail";

interface StoredQuestion {
  questionId: string;
  askerId: string;
  hobby: string;
  title: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  acceptedAnswerId: string | null;
  /** The server has it (false: written offline, not sent yet). */
  synced: boolean;
}

interface StoredAnswer {
  answerId: string;
  questionId: string;
  authorId: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  ai: { model: string } | null;
  helpful: boolean;
  votes: Map<string, number>;
  synced: boolean;
}

export interface FakeCommunity {
  questions: StoredQuestion[];
  answers: StoredAnswer[];
  /** Threads opened on this device (readable offline). */
  opened: Set<string>;
  /** Questions per page of the list. */
  pageSize: number;
  /** The text the fake AI provider answers with. */
  aiText: string;
  /** The model of the sync server's community assistant; null: it has none. */
  assistantModel: string | null;
  seedQuestion(askerId: string, hobby: string, title: string, body: string): string;
  seedAnswer(questionId: string, authorId: string, body: string): string;
  /** The sync uploads everything written offline. */
  deliver(): void;
}

/** The server's community assistant account, as the server names it. */
const ASSISTANT_ID = "tutti-assistant";
const MAX_TITLE = 200;
const MAX_BODY = 20_000;
const MAX_ID = 64;


function text(field: string, value: string, max: number): string {
  const v = value.trim();
  if (!v) fail("invalid_input", `invalid ${field}: must not be empty or blank`);
  const n = [...v].length;
  if (n > max) fail("invalid_input", `invalid ${field}: is ${n} characters, longer than ${max}`);
  return v;
}

/** `llmModel` is the configured AI provider's model, or null when none is. */
export function fakeCommunity(
  social: FakeSocial,
  llmModel: () => string | null,
): { methods: CommunityApi; state: FakeCommunity } {
  let next = 1;
  let clock = Date.UTC(2025, 2, 1, 9, 0, 0);

  const state: FakeCommunity = {
    questions: [],
    answers: [],
    opened: new Set(),
    pageSize: 20,
    aiText: "AI가 쓴 답변이에요.\n손목의 힘을 빼 보세요.",
    assistantModel: null,
    seedQuestion(askerId, hobby, title, body) {
      const questionId = `q${next++}`;
      state.questions.push({
        questionId,
        askerId,
        hobby,
        title,
        body,
        createdAt: clock++,
        editedAt: null,
        deleted: false,
        acceptedAnswerId: null,
        synced: true,
      });
      return questionId;
    },
    seedAnswer(questionId, authorId, body) {
      const a = answer(questionId, authorId, body, null, true);
      state.answers.push(a);
      return a.answerId;
    },
    deliver() {
      for (const q of state.questions) q.synced = true;
      for (const a of state.answers) a.synced = true;
    },
  };

  function answer(
    questionId: string,
    authorId: string,
    body: string,
    ai: { model: string } | null,
    synced: boolean,
  ): StoredAnswer {
    return {
      answerId: `a${next++}`,
      questionId,
      authorId,
      body,
      createdAt: clock++,
      editedAt: null,
      deleted: false,
      ai,
      helpful: false,
      votes: new Map(),
      synced,
    };
  }

  function me(): string {
    return social.account?.userId ?? fail("not_signed_in", "sign in first");
  }

  function server() {
    if (!social.online) fail("server_unreachable", "cannot reach the sync server: connection refused");
  }

  const nameOf = (id: string) =>
    id === ASSISTANT_ID ? "Tutti AI" : (social.users.find((u) => u.userId === id)?.name ?? null);

  function question(id: string): StoredQuestion {
    const q = state.questions.find((x) => x.questionId === id && !x.deleted);
    return q ?? fail("not_found", `unknown question_id \`${id}\`: no question has it`);
  }

  function storedAnswer(id: string): StoredAnswer {
    const a = state.answers.find((x) => x.answerId === id && !x.deleted);
    return a ?? fail("not_found", `unknown answer_id \`${id}\`: no answer has it`);
  }

  const liveAnswers = (questionId: string) =>
    state.answers.filter((a) => a.questionId === questionId && !a.deleted);

  /** What this device holds: own questions and threads opened before. */
  const known = (q: StoredQuestion, user: string) => q.askerId === user || state.opened.has(q.questionId);

  function summary(q: StoredQuestion, user: string): QuestionSummary {
    const answers = liveAnswers(q.questionId);
    return {
      questionId: q.questionId,
      askerId: q.askerId,
      askerName: nameOf(q.askerId),
      hobby: q.hobby,
      title: q.title,
      bodyPreview: [...q.body].slice(0, 200).join(""),
      createdAt: q.createdAt,
      editedAt: q.editedAt,
      answerCount: answers.length,
      humanAnswerCount: answers.filter((a) => !a.ai).length,
      acceptedAnswerId: q.acceptedAnswerId,
      mine: q.askerId === user,
      pending: q.askerId === user && !q.synced,
    };
  }

  const view = (q: StoredQuestion, user: string): QuestionView => ({ ...summary(q, user), body: q.body });

  function status(a: StoredAnswer, user: string): AnswerStatus {
    const votes = [...a.votes.values()];
    const up = votes.filter((v) => v > 0).length;
    const down = votes.filter((v) => v < 0).length;
    return { answerId: a.answerId, helpful: a.helpful, score: up - down, upVotes: up, downVotes: down, myVote: a.votes.get(user) ?? 0 };
  }

  function answerView(a: StoredAnswer, user: string): AnswerView {
    const { answerId: _id, ...votes } = status(a, user);
    return {
      answerId: a.answerId,
      questionId: a.questionId,
      authorId: a.authorId,
      authorName: nameOf(a.authorId),
      body: a.body,
      createdAt: a.createdAt,
      editedAt: a.editedAt,
      ai: a.ai ? { ...a.ai } : null,
      accepted: question(a.questionId).acceptedAnswerId === a.answerId,
      ...votes,
      mine: a.authorId === user,
      pending: a.authorId === user && !a.synced,
    };
  }

  function ownQuestion(id: string, user: string): StoredQuestion {
    const q = question(id);
    if (q.askerId !== user) fail("not_owner", `only its author can change question \`${id}\``);
    return q;
  }

  function ownAnswer(id: string, user: string): StoredAnswer {
    const a = storedAnswer(id);
    if (a.authorId !== user) fail("not_owner", `only its author can change answer \`${id}\``);
    return a;
  }

  const methods: CommunityApi = {
    communityAsk: async (hobby, title, body) => {
      const h = text("hobby", hobby, MAX_ID);
      const tt = text("title", title, MAX_TITLE);
      const b = text("body", body, MAX_BODY);
      const user = me();
      const id = state.seedQuestion(user, h, tt, b);
      const q = question(id);
      q.synced = social.online;
      return view(q, user);
    },
    communityAnswer: async (questionId, body) => {
      const b = text("body", body, MAX_BODY);
      const user = me();
      const q = question(questionId);
      if (!known(q, user)) fail("not_found", `unknown question_id \`${questionId}\`: no question has it`);
      const a = answer(questionId, user, b, null, social.online);
      state.answers.push(a);
      return answerView(a, user);
    },
    communityAnswerAi: async (questionId) => {
      const user = me();
      const q = question(questionId);
      if (q.askerId !== user) {
        fail("not_owner", `only its author can change question (only its asker asks for an AI answer) \`${questionId}\``);
      }
      const model = llmModel();
      if (model) {
        const a = answer(questionId, user, state.aiText, { model }, social.online);
        state.answers.push(a);
        return answerView(a, user);
      }
      // No provider of one's own: the server's assistant answers, once per question.
      if (!social.online) fail("server_unreachable", "cannot reach the sync server: offline");
      const assistant = state.assistantModel;
      if (!assistant) fail("llm_not_configured", "no AI provider is configured: set its base URL and model in the settings");
      const existing = state.answers.find((x) => x.questionId === questionId && x.authorId === ASSISTANT_ID && !x.deleted);
      if (existing) return answerView(existing, user);
      const a = answer(questionId, ASSISTANT_ID, state.aiText, { model: assistant }, true);
      state.answers.push(a);
      return answerView(a, user);
    },
    communityEditQuestion: async (questionId, edit) => {
      const tt = edit.title === null ? null : text("title", edit.title, MAX_TITLE);
      const b = edit.body === null ? null : text("body", edit.body, MAX_BODY);
      if (tt === null && b === null) fail("invalid_input", "invalid title: give a new title or body");
      const user = me();
      const q = ownQuestion(questionId, user);
      if (tt !== null) q.title = tt;
      if (b !== null) q.body = b;
      q.editedAt = clock++;
      q.synced = social.online;
      return view(q, user);
    },
    communityEditAnswer: async (answerId, body) => {
      const b = text("body", body, MAX_BODY);
      const user = me();
      const a = ownAnswer(answerId, user);
      a.body = b;
      a.editedAt = clock++;
      a.synced = social.online;
      return answerView(a, user);
    },
    communityDeleteQuestion: async (questionId) => {
      const q = ownQuestion(questionId, me());
      q.deleted = true;
    },
    communityDeleteAnswer: async (answerId) => {
      const a = ownAnswer(answerId, me());
      a.deleted = true;
      const q = state.questions.find((x) => x.questionId === a.questionId);
      if (q?.acceptedAnswerId === answerId) q.acceptedAnswerId = null;
    },
    communityAccept: async (questionId, answerId) => {
      const user = me();
      const q = ownQuestion(questionId, user);
      if (answerId !== null) {
        const a = liveAnswers(questionId).find((x) => x.answerId === answerId);
        if (!a) fail("not_found", `unknown answer_id \`${answerId}\`: no answer has it`);
        if (a.ai) {
          fail("ai_answer_not_acceptable", `answer \`${answerId}\` was written by AI (${a.ai.model}); only a person's answer can be accepted`);
        }
      }
      q.acceptedAnswerId = answerId;
      q.synced = social.online;
      return view(q, user);
    },
    communityQuestions: async (filter) => {
      const q = filter.q?.trim() ?? "";
      if ([...q].length > 200) fail("invalid_input", "invalid q: must be at most 200 characters");
      const user = me();
      const hobby = filter.hobby?.trim() || null;
      const matches = (s: StoredQuestion) => {
        if (s.deleted) return false;
        if (hobby && s.hobby !== hobby) return false;
        const needle = q.toLowerCase();
        if (needle && !s.title.toLowerCase().includes(needle) && !s.body.toLowerCase().includes(needle)) return false;
        return filter.sort === "newest" || liveAnswers(s.questionId).every((a) => a.ai);
      };
      const newest = (a: StoredQuestion, b: StoredQuestion) => b.createdAt - a.createdAt;
      if (!social.online) {
        const local = state.questions.filter((s) => known(s, user) && matches(s)).sort(newest);
        return { questions: local.map((s) => summary(s, user)), nextCursor: null, fromCache: true };
      }
      // This user's unsent questions lead the first page, as in the core.
      const onServer = state.questions.filter((s) => s.synced && matches(s)).sort(newest);
      const unsent = state.questions.filter((s) => !s.synced && s.askerId === user && matches(s)).sort(newest);
      const from = filter.cursor ? Number(filter.cursor) : 0;
      if (!Number.isInteger(from) || from < 0) fail("invalid_input", "invalid cursor: not a cursor of this list");
      const page = onServer.slice(from, from + state.pageSize);
      const end = from + page.length;
      return {
        questions: [...(from === 0 ? unsent : []), ...page].map((s) => summary(s, user)),
        nextCursor: end < onServer.length ? String(end) : null,
        fromCache: false,
      };
    },
    communityThread: async (questionId) => {
      const user = me();
      const q = question(questionId);
      if (!social.online && !known(q, user)) {
        fail("not_found", `unknown question_id \`${questionId}\`: no question has it`);
      }
      if (social.online) state.opened.add(questionId);
      const answers = liveAnswers(questionId)
        .map((a) => answerView(a, user))
        .sort(
          (a, b) =>
            Number(b.accepted) - Number(a.accepted) || b.score - a.score || a.createdAt - b.createdAt,
        );
      return { question: view(q, user), answers, fromCache: !social.online };
    },
    communityMyQuestions: async () => {
      const user = me();
      return state.questions
        .filter((q) => q.askerId === user && !q.deleted)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((q) => summary(q, user));
    },
    communityVote: async (answerId, value) => {
      if (![-1, 0, 1].includes(value)) {
        fail("invalid_input", "invalid value: must be 1 (up), -1 (down) or 0 (take the vote back)");
      }
      const user = me();
      server();
      const a = storedAnswer(answerId);
      if (a.authorId === user) fail("server_own_answer", "the sync server refused (403 own_answer): you cannot vote on your own answer");
      if (value === 0) a.votes.delete(user);
      else a.votes.set(user, value);
      return status(a, user);
    },
    communityHelpful: async (answerId, helpful) => {
      const user = me();
      server();
      const a = storedAnswer(answerId);
      if (question(a.questionId).askerId !== user) {
        fail("server_not_asker", "the sync server refused (403 not_asker): only the asker marks answers helpful");
      }
      a.helpful = helpful;
      return status(a, user);
    },
  };
  return { methods, state };
}
