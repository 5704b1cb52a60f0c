// UI text of the first-run screen and the sync server settings, Korean
// first; merged into i18n.ts's dictionaries (so `en` must have these keys).
export const setupKo = {
  "firstRun.welcome": "Tutti에 오신 것을 환영해요",
  "firstRun.language.title": "어떤 언어로 볼까요?",
  "firstRun.language.lead": "언제든 프로필·설정에서 바꿀 수 있어요.",
  "firstRun.hobby.title": "무엇을 배우고 싶으세요?",
  "firstRun.hobby.lead":
    "AI 멘토에게 한 문장으로 말해 보세요. 인터넷 없이도 이 컴퓨터에서 알아듣고, 레벨 테스트와 도전 과제를 준비해요.",
  "firstRun.hobby.input": "배우고 싶은 것",
  "firstRun.hobby.send": "멘토에게 말하기",
  "firstRun.hobby.roomReady": "AI 멘토 대화가 준비됐어요",
  "firstRun.account.title": "계정 (선택)",
  "firstRun.account.lead":
    "멘토 찾기, 채팅, 커뮤니티는 Tutti 서버 계정으로 이용해요. 나머지는 계정 없이도 모두 쓸 수 있으니 나중에 해도 돼요.",
  "firstRun.account.done": "로그인했어요.",
  "firstRun.ai.title": "AI 제공자 (선택)",
  "firstRun.ai.lead":
    "AI 멘토와 자유롭게 대화하려면 AI 제공자가 필요해요. 레벨 테스트와 도전 과제는 없어도 돼요.",
  "firstRun.next": "다음",
  "firstRun.back": "이전",
  "firstRun.finish": "Tutti 시작하기",
  "firstRun.skipAll": "건너뛰고 바로 시작하기",
  "firstRun.offline": "계정이나 인터넷이 없어도 연습, 레벨 테스트, 도전 과제는 모두 이 컴퓨터에서 돼요.",
  "server.title": "동기화 서버",
  "server.lead":
    "멘토 채팅과 커뮤니티를 주고받을 Tutti 서버예요. 비워 두면 이 설치본의 기본 서버를 써요.",
  "server.url": "서버 주소",
  "server.default": "기본 서버",
  "server.noDefault": "이 설치본에는 기본 서버가 없어요.",
  "server.allowInsecure": "이 서버에 암호화되지 않은 연결(http://)을 허용",
  "server.insecureHint":
    "이 컴퓨터 밖의 서버와 암호화 없이 주고받으면 같은 네트워크의 누구나 내용을 보거나 바꿀 수 있어요. 믿을 수 있는 내 네트워크에서만 켜 주세요.",
  "server.save": "저장",
  "server.saved": "저장했어요.",
} as const;

export const setupEn: Record<keyof typeof setupKo, string> = {
  "firstRun.welcome": "Welcome to Tutti",
  "firstRun.language.title": "Which language would you like?",
  "firstRun.language.lead": "You can change it any time in Profile & settings.",
  "firstRun.hobby.title": "What would you like to learn?",
  "firstRun.hobby.lead":
    "Tell the AI mentor in one sentence. It understands you on this computer, without the internet, and prepares a level test and challenges.",
  "firstRun.hobby.input": "What you want to learn",
  "firstRun.hobby.send": "Tell the mentor",
  "firstRun.hobby.roomReady": "Your AI mentor conversation is ready",
  "firstRun.account.title": "Account (optional)",
  "firstRun.account.lead":
    "Finding a mentor, chats and the community use a Tutti server account. Everything else works without one, so this can wait.",
  "firstRun.account.done": "You are signed in.",
  "firstRun.ai.title": "AI provider (optional)",
  "firstRun.ai.lead":
    "Free conversation with the AI mentor needs an AI provider. The level test and challenges do not.",
  "firstRun.next": "Next",
  "firstRun.back": "Back",
  "firstRun.finish": "Start using Tutti",
  "firstRun.skipAll": "Skip and start now",
  "firstRun.offline":
    "Without an account or the internet, practice, level tests and challenges all work on this computer.",
  "server.title": "Sync server",
  "server.lead":
    "The Tutti server that carries mentor chats and the community. Leave it empty to use this installation's default server.",
  "server.url": "Server address",
  "server.default": "Default server",
  "server.noDefault": "This installation has no default server.",
  "server.allowInsecure": "Allow unencrypted connections (http://) to this server",
  "server.insecureHint":
    "Without encryption, anyone on the network between you and a server that is not on this computer can read and change what is sent. Turn this on only on a network you trust.",
  "server.save": "Save",
  "server.saved": "Saved.",
};
