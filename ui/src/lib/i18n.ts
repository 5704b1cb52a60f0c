// UI text in Korean (first) and English. `en` must have exactly the keys of
// `ko`; the type checker enforces it and a unit test double-checks at runtime.
import type { Language } from "./bindings/Language";

const ko = {
  appName: "Tutti",
  tagline: "취미를 배우는 가장 좋은 친구",
  skipToContent: "본문으로 건너뛰기",
  navLabel: "주요 메뉴",
  "nav.home": "홈",
  "nav.mentor": "AI 멘토",
  "nav.practice": "연습",
  "nav.mentors": "멘토 찾기",
  "nav.chats": "채팅",
  "nav.community": "커뮤니티",
  "nav.courses": "강의",
  "nav.settings": "프로필·설정",
  "home.title": "안녕하세요! 무엇을 배워 볼까요?",
  "home.lead":
    "Tutti는 악기, 노래, 요리, 그림처럼 취미를 배우는 분과 멘토를 위한 데스크톱 앱이에요. 인터넷이 없어도 연습한 기록은 모두 이 컴퓨터에 안전하게 남아요.",
  "home.sections": "둘러보기",
  "home.mentor": "AI 멘토에게 배우고 싶은 것을 말하고 레벨 테스트와 도전 과제를 받아요.",
  "home.practice": "노래하거나 연주하면 악보로 바꾸고 음 하나하나 채점해요.",
  "home.mentors": "나에게 맞는 멘토를 추천받고 함께 배워요.",
  "home.community": "궁금한 것을 묻고 다른 사람의 질문에 답해요.",
  "home.courses": "나와 비슷한 사람들이 본 강의를 추천받아요.",
  "soon.badge": "준비 중",
  "soon.title": "이 기능은 아직 준비 중이에요",
  "soon.body":
    "곧 이곳에서 만날 수 있어요. 지금 보이는 화면에는 가짜 데이터를 넣지 않았어요.",
  "soon.mentor": "AI 멘토와 대화하고, 레벨 테스트를 보고, 수준에 맞는 도전 과제를 받을 수 있게 될 거예요.",
  "soon.practice": "마이크로 녹음하면 기기 안에서 바로 악보로 옮기고 목표 멜로디와 비교해 채점하게 될 거예요.",
  "soon.mentors": "설문을 바탕으로 잘 맞는 멘토 세 분을 이유와 함께 추천하게 될 거예요.",
  "soon.chats": "멘토와 멘티가 오프라인에서도 메시지를 쓰고, 연결되면 동기화하게 될 거예요.",
  "soon.community": "질문을 올리고 사람과 AI의 답변을 받게 될 거예요.",
  "soon.courses": "비슷한 학습자들의 기록으로 강의를 추천하게 될 거예요.",
  "settings.title": "프로필·설정",
  "settings.language": "언어",
  "settings.theme": "화면 테마",
  "settings.theme.system": "시스템 설정 따르기",
  "settings.theme.light": "밝게",
  "settings.theme.dark": "어둡게",
  "settings.profile": "내 프로필",
  "settings.displayName": "이름",
  "settings.email": "이메일",
  "settings.gender": "성별",
  "settings.gender.none": "선택 안 함",
  "settings.gender.female": "여성",
  "settings.gender.male": "남성",
  "settings.gender.other": "기타",
  "settings.gender.unspecified": "밝히지 않음",
  "settings.birthdate": "생년월일",
  "settings.save": "저장",
  "settings.saved": "저장했어요.",
  "settings.about": "이 앱에 대하여",
  "settings.version": "버전",
  "settings.dataDir": "데이터 폴더",
  "error.title": "문제가 생겼어요",
  "error.retry": "다시 시도",
  loading: "불러오는 중…",
} as const;

export type MessageKey = keyof typeof ko;

const en: Record<MessageKey, string> = {
  appName: "Tutti",
  tagline: "Your companion for learning a hobby",
  skipToContent: "Skip to content",
  navLabel: "Main menu",
  "nav.home": "Home",
  "nav.mentor": "AI mentor",
  "nav.practice": "Practice",
  "nav.mentors": "Find a mentor",
  "nav.chats": "Chats",
  "nav.community": "Community",
  "nav.courses": "Courses",
  "nav.settings": "Profile & settings",
  "home.title": "Hello! What would you like to learn?",
  "home.lead":
    "Tutti is a desktop app for people learning a hobby — an instrument, singing, cooking, drawing — and for their mentors. Everything you practise stays safely on this computer, even offline.",
  "home.sections": "Explore",
  "home.mentor": "Tell the AI mentor what you want to learn; get a level test and challenges.",
  "home.practice": "Sing or play and see it as sheet music, graded note by note.",
  "home.mentors": "Get matched with a mentor who fits you and learn together.",
  "home.community": "Ask questions and answer other learners.",
  "home.courses": "Get courses that learners like you found useful.",
  "soon.badge": "Coming soon",
  "soon.title": "This feature is coming soon",
  "soon.body": "It will live here. Until then this screen shows no made-up data.",
  "soon.mentor": "You will talk with the AI mentor, take a level test and get challenges sized to your level.",
  "soon.practice": "You will record from the microphone, see your take as notation on the device and get it graded against the target melody.",
  "soon.mentors": "You will get three well-matched mentors from your survey, with the reasons.",
  "soon.chats": "Mentors and mentees will write messages even offline; they sync when you are back online.",
  "soon.community": "You will post questions and get answers from people and from AI.",
  "soon.courses": "You will get course recommendations from what similar learners watched.",
  "settings.title": "Profile & settings",
  "settings.language": "Language",
  "settings.theme": "Theme",
  "settings.theme.system": "Follow the system",
  "settings.theme.light": "Light",
  "settings.theme.dark": "Dark",
  "settings.profile": "My profile",
  "settings.displayName": "Name",
  "settings.email": "Email",
  "settings.gender": "Gender",
  "settings.gender.none": "Not selected",
  "settings.gender.female": "Female",
  "settings.gender.male": "Male",
  "settings.gender.other": "Other",
  "settings.gender.unspecified": "Prefer not to say",
  "settings.birthdate": "Date of birth",
  "settings.save": "Save",
  "settings.saved": "Saved.",
  "settings.about": "About",
  "settings.version": "Version",
  "settings.dataDir": "Data folder",
  "error.title": "Something went wrong",
  "error.retry": "Try again",
  loading: "Loading…",
};

export const messages: Record<Language, Record<MessageKey, string>> = { ko, en };

export type Translate = (key: MessageKey) => string;

export function translator(lang: Language): Translate {
  const dict = messages[lang];
  return (key) => dict[key];
}

/** Language names are shown in their own language, whatever the UI language. */
export const languageNames: Record<Language, string> = { ko: "한국어", en: "English" };
