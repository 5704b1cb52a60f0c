//! Word tables the extraction rules read: Korean particles and markers, English phrases, and the
//! cue words for negation, contrast and past experience. Hobby names themselves live in
//! `data/lexicon.json`; these are the grammar around them. Tables are kept one-per-line-of-words
//! (`rustfmt::skip`) so they stay reviewable.

/// Which final-consonant form a Korean particle attaches to (을 after 받침, 를 after a vowel).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Batchim {
    /// After a syllable with a final consonant.
    Yes,
    /// After a vowel-final syllable.
    No,
    /// Either.
    Any,
}

// --- Korean ---

/// Words after 기타 that make it "other/etc." (기타 등등, 기타 의견) rather than the guitar.
#[rustfmt::skip]
pub(crate) const ETC_FOLLOWERS: &[&str] = &[
    "등", "사항", "의견", "문의", "질문", "내용", "항목", "비용", "정보", "물품", "사유", "자료", "업무", "서류",
    "부분", "여러", "모든", "다른", "활동", "과목", "분야", "운동", "악기", "재료", "요청", "건의", "참고", "지역",
    "국가", "언어", "기능", "설정", "옵션", "메뉴", "소득", "목적", "요인", "수입", "경비", "종목", "사례", "경우",
    "요소", "특이", "상세", "세부", "추가", "잡비", "나머지", "취미활동", "취미 활동",
];

/// Markers of wanting to learn or do something; the noun phrase sits right before them.
#[rustfmt::skip]
pub(crate) const INTENT: &[&str] = &[
    "배우", "배워", "배울", "배운", "해보", "해 보", "해볼", "해봐", "하고 싶", "하고싶", "하고파", "시작", "관심",
    "알려", "가르쳐", "도전", "연습", "익히", "잘하", "잘 하", "입문", "독학", "공부", "레슨", "강습", "수업",
    "클래스", "하는 법", "하는법", "하는 방법", "하는거", "하는 거", "하기", "두는", "두기", "타는", "타기", "치는",
    "치기", "만들기", "만드는", "취미", "좋아", "하려", "즐기", "빠져", "재밌", "흥미", "매력", "동호회", "원데이",
];

/// Noun phrases that are not a hobby (pronouns, fillers, vague categories).
#[rustfmt::skip]
pub(crate) const STOP: &[&str] = &[
    "뭘", "뭐", "뭔가", "뭐든", "뭐라도", "뭐든지", "무엇", "무엇을", "무언가", "어떤", "어떤거", "어떤것", "이거",
    "그거", "저거", "이것", "그것", "저것", "것", "거", "걸", "건", "게", "취미", "아무거나", "아무것", "아무거",
    "새로운", "새로운거", "새로운것", "다", "모두", "전부", "여러", "여러가지", "이것저것", "다양한", "운동",
    "악기", "음악", "예술", "스포츠", "활동", "저", "제가", "나", "저는", "나는", "내가", "우리", "같이", "함께",
    "혼자", "그냥", "정말", "진짜", "너무", "많이", "좀", "꼭", "한번", "다시", "빨리", "새로", "제대로", "열심히",
    "요즘", "이번", "이제", "지금", "처음", "처음부터", "기초", "기초부터", "기본", "기본기", "실력", "잘", "더",
    "또", "계속", "꾸준히", "직접", "이걸", "그걸", "뭔지", "이런", "그런", "저런", "어디", "언제", "왜", "어떻게",
    "누구", "하나", "한가지", "것들", "안녕", "안녕하세요", "반갑습니다", "감사합니다", "고마워요", "네", "예",
    "아니요", "아뇨", "글쎄", "글쎄요", "음", "흠", "몰라", "몰라요", "모르겠어요", "추천", "도움", "질문", "궁금",
    "공부", "수업", "레슨", "강의", "선생님", "멘토", "방법", "법", "거요", "걸요", "것도", "아마", "아직", "생각",
    "고민", "가능", "가능하면", "취미생활", "재미있는", "재밌는", "멋진", "예쁜", "간단한", "쉬운", "어려운",
    "좋은", "특별한", "색다른", "다른", "전문적인", "본격적인", "깊이", "높이", "오늘", "내일", "주말", "매일",
    "평일", "퇴근", "퇴근후", "나중에", "언젠가", "같은", "취미로", "여가", "시간", "이요", "요", "등", "등등", "시작", "연습", "도전", "관심", "입문", "독학",
    "배우기", "알려", "가르쳐",
];

/// Last syllables that end verbs, adjectives or adverbs rather than nouns.
#[rustfmt::skip]
pub(crate) const VERBISH: &[char] = &[
    '아', '어', '여', '와', '워', '해', '돼', '봐', '줘', '라', '래', '러', '려', '져', '쳐', '켜', '써', '서',
    '나', '내', '네', '세', '게', '죠', '지', '까', '군', '걸', '데', '대', '니', '야', '다', '요', '고', '면',
    '든', '던', '습', '께', '셔', '했', '겠', '싶', '없', '있', '같', '좋', '싫', '됐', '될', '할', '함', '히',
];

/// Particles and light endings after a noun; batchim-sensitive ones say which form they follow.
#[rustfmt::skip]
pub(crate) const PARTICLES: &[(&str, Batchim)] = &[
    ("에서는", Batchim::Any), ("에서", Batchim::Any), ("으로", Batchim::Yes), ("이랑", Batchim::Yes),
    ("에게", Batchim::Any), ("한테", Batchim::Any), ("처럼", Batchim::Any), ("까지", Batchim::Any),
    ("부터", Batchim::Any), ("이나", Batchim::Yes), ("이라도", Batchim::Yes), ("라도", Batchim::No),
    ("에는", Batchim::Any), ("이요", Batchim::Yes), ("같은", Batchim::Any), ("은", Batchim::Yes),
    ("는", Batchim::No), ("을", Batchim::Yes), ("를", Batchim::No), ("이", Batchim::Yes), ("가", Batchim::No),
    ("과", Batchim::Yes), ("와", Batchim::No), ("랑", Batchim::No), ("로", Batchim::Any), ("도", Batchim::Any),
    ("에", Batchim::Any), ("만", Batchim::Any), ("좀", Batchim::Any), ("의", Batchim::Any), ("요", Batchim::Any),
];

/// Nominalised verbs glued to a hobby noun ("서핑하기", "자전거 타는 거").
#[rustfmt::skip]
pub(crate) const VERB_ENDINGS: &[&str] = &[
    "하는거", "하는것", "하는걸", "하는", "하기", "하고", "해서", "타기", "치기", "두기", "만들기", "배우기",
];

/// Bound nouns that stand for "the way / the thing" after a verb.
#[rustfmt::skip]
pub(crate) const NOMINALS: &[&str] = &["법", "방법", "거", "것", "걸", "게", "건", "줄"];

#[rustfmt::skip]
pub(crate) const COPULA_ENDINGS: &[&str] = &["이에요", "입니다", "이요", "예요", "에요", "요"];

// --- English ---

/// Learning-intent phrases; the hobby follows them.
#[rustfmt::skip]
pub(crate) const EN_INTENT: &[&[&str]] = &[
    &["learn", "how", "to"], &["learn", "to"], &["learn"], &["learning"], &["interested", "in"], &["into"],
    &["take", "up"], &["taking", "up"], &["try"], &["trying"], &["start"], &["starting"],
    &["teach", "me", "how", "to"], &["teach", "me"], &["how", "to"], &["practice"], &["practise"], &["good", "at"],
    &["better", "at"], &["love"], &["enjoy"], &["want", "to"], &["wanna"], &["like", "to"], &["get", "into"],
    &["getting", "into"], &["hobby", "is"],
];

/// Words after which "into" means a liking ("I'm into X"), not a direction.
#[rustfmt::skip]
pub(crate) const EN_INTO_AFTER: &[&str] = &["im", "am", "really", "getting", "get", "got", "be", "so"];

/// The hobby comes before these ("surfing lessons").
#[rustfmt::skip]
pub(crate) const EN_INTENT_AFTER: &[&str] = &[
    "lessons", "lesson", "classes", "class", "course", "courses", "club", "tutorial", "tutorials",
];

/// Words skipped between the intent and the hobby.
#[rustfmt::skip]
pub(crate) const EN_FILLERS: &[&str] = &[
    "to", "how", "the", "a", "an", "some", "more", "about", "my", "play", "playing", "do", "doing", "go", "going",
    "make", "making", "basic", "basics", "of", "get", "better", "at", "learn", "learning", "try", "trying", "start",
    "starting", "practice", "practicing", "real", "proper", "little", "bit", "really", "actually", "properly",
    "also", "into", "take", "taking", "up", "getting", "speak", "speaking",
];

/// Words that end the hobby phrase.
#[rustfmt::skip]
pub(crate) const EN_TAIL_STOP: &[&str] = &[
    "and", "or", "but", "because", "so", "with", "for", "at", "in", "on", "this", "next", "please", "now", "today",
    "someday", "soon", "too", "also", "as", "like", "from", "year", "week", "month", "weekend", "properly", "well",
    "better", "again", "if", "when", "while", "since", "online", "alone", "myself", "together", "first", "one",
    "day", "i", "im", "it", "maybe", "lessons", "lesson", "classes", "class", "course", "by", "to", "the", "a",
    "an", "more", "is", "are", "was", "would", "could", "can", "will", "though", "yet", "someone", "somebody",
    "here", "there", "pls",
];

/// Phrases that are not a hobby.
#[rustfmt::skip]
pub(crate) const EN_HEAD_STOP: &[&str] = &[
    "something", "anything", "everything", "nothing", "it", "that", "this", "these", "those", "stuff", "things",
    "thing", "hobby", "hobbies", "new", "what", "which", "skills", "skill", "one", "them", "me", "you", "more",
    "how", "lot", "all", "some", "any", "myself", "here", "there", "why", "where", "when", "who", "instrument",
    "instruments", "music", "sports", "sport", "exercise", "i", "im", "am", "is", "are", "be", "was", "can",
    "could", "would", "should", "will", "do", "does", "did", "have", "has", "again", "know", "recommend", "suggest",
    "help", "find", "choose", "decide", "pick", "out", "different", "fun", "interesting", "cool", "creative",
    "relaxing", "easy", "hard", "well", "better", "be", "become", "myself", "see", "with", "your", "our", "their",
    "his", "her", "again", "new", "activity", "activities", "hello", "hi", "now", "yet", "sure", "so", "much",
    "many", "lots", "relax", "rest", "sleep", "live", "friends", "money", "people", "focus", "cope", "manage",
    "stuff", "life",
];

/// Short replies that are never a hobby.
#[rustfmt::skip]
pub(crate) const EN_BARE_STOP: &[&str] = &[
    "yes", "no", "ok", "okay", "sure", "thanks", "thank", "hi", "hello", "hey", "yo", "sup", "good", "great",
    "fine", "nice", "cool", "not", "idk", "dunno", "know", "think", "help", "recommend", "recommendation",
    "suggest", "unsure", "none", "later", "whatever", "hmm", "um", "uh", "well", "lol", "haha", "bye", "morning",
    "evening", "night", "please", "maybe", "nope", "nah", "yeah", "yep", "wow", "what", "why", "how", "who",
    "where", "when", "sounds", "start", "go", "let", "lets", "me", "you", "see", "wait", "hold", "on", "alright",
    "right", "thx", "ty",
];

// --- Negation, contrast and past experience ---

#[rustfmt::skip]
pub(crate) const KO_NEGATION_AFTER: &[&str] = &[
    "말고", "말구", "아니고", "아니라", "아니구", "아니에요", "아닙니다", "아니요", "대신", "싫", "싶지않",
    "하지않", "별로", "관심없", "흥미없", "재미없", "그만", "포기", "빼고", "제외", "됐고", "지겨", "질려", "질렸",
    "말고는",
];

#[rustfmt::skip]
pub(crate) const KO_DEMOTE_AFTER: &[&str] = &[
    "봤고", "봤는데", "봤지만", "봤었", "웠었", "웠는데", "웠고", "웠지만", "했었", "했는데", "했지만", "했고",
    "쳤었", "쳤는데", "쳤고", "쳤지만", "다녔", "했던", "쳤던", "웠던", "봤던", "보다",
    "이미", "할줄알", "칠줄알", "탈줄알",
];

/// After a hobby, in its own clause: it is the one chosen ("러닝을 먼저", "요리가 더 좋아요").
#[rustfmt::skip]
pub(crate) const KO_FOCUS_AFTER: &[&str] = &[
    "먼저", "부터", "더좋", "더하고싶", "더배우고싶", "가좋겠", "이좋겠", "로할", "으로할", "로하고싶", "으로하고싶",
    "를고를", "을고를", "로정할", "으로정할", "가제일", "이제일",
];

/// Before a hobby, in the same sentence: a choice was offered and this one is named from it
/// ("요가랑 러닝 중에 러닝을").
#[rustfmt::skip]
pub(crate) const KO_CHOICE_BEFORE: &[&str] = &["중에", "중에서", "둘중", "중하나"];

/// Clause endings after which an earlier cue no longer applies ("이미 잘 치니까 | 바이올린을").
#[rustfmt::skip]
pub(crate) const KO_CLAUSE_ENDS: &[&str] = &["니까", "으니", "는데", "은데", "지만", "라서", "해서", "어서", "아서", "고,"];

#[rustfmt::skip]
pub(crate) const KO_DEMOTE_BEFORE: &[&str] = &[
    "예전에", "옛날에", "어릴때", "어렸을때", "학생때", "전에는", "한때", "이미", "원래",
];

#[rustfmt::skip]
pub(crate) const KO_FOCUS_BEFORE: &[&str] = &[
    "이번엔", "이번에는", "이제", "지금은", "요즘은", "앞으로", "대신", "차라리", "오히려", "근데", "하지만",
    "그런데", "지만", "는데", "은데", "그래서", "특히", "니까", "으니", "취미로는", "취미는",
];

#[rustfmt::skip]
pub(crate) const EN_CLAUSE_WORDS: &[&str] = &[
    "but", "and", "so", "though", "although", "however", "because", "while", "whereas", "now", "then",
];

#[rustfmt::skip]
pub(crate) const EN_NEGATION_BEFORE: &[&[&str]] = &[
    &["not"], &["no"], &["dont", "want"], &["dont", "really", "want"], &["do", "not", "want"], &["dont", "like"],
    &["dont", "really", "like"], &["dont", "enjoy"], &["hate"], &["dislike"], &["instead", "of"],
    &["rather", "than"], &["other", "than"], &["except"], &["apart", "from"], &["besides"], &["tired", "of"],
    &["bored", "of"], &["bored", "with"], &["sick", "of"], &["quit"], &["quitting"], &["stop"], &["stopped"],
    &["gave", "up"], &["give", "up"], &["never", "want"], &["nor"], &["neither"], &["without"],
];

/// Words after "not"/"no" that make it about the learner, not the hobby ("not sure", "no experience").
#[rustfmt::skip]
pub(crate) const EN_NEUTRAL_AFTER_NOT: &[&str] = &[
    "sure", "good", "great", "experience", "idea", "clue", "confident", "only", "just", "bad", "much", "enough",
    "skilled", "talented", "familiar", "certain", "decided", "able", "exactly", "yet", "prior", "previous",
    "background",
];

#[rustfmt::skip]
pub(crate) const EN_INTENSIFIERS: &[&str] = &[
    "really", "very", "so", "too", "that", "all", "yet", "quite", "super",
];

#[rustfmt::skip]
pub(crate) const EN_DEMOTE_BEFORE: &[&[&str]] = &[
    &["used", "to"], &["already"], &["played"], &["learned"], &["learnt"], &["did"], &["tried"], &["than"],
    &["over"],
];

/// After a hobby, in its own clause: it is the one chosen ("running first").
#[rustfmt::skip]
pub(crate) const EN_FOCUS_AFTER: &[&[&str]] = &[
    &["first"], &["more"], &["please"], &["it", "is"], &["its"], &["wins"],
];

#[rustfmt::skip]
pub(crate) const EN_DEMOTE_AFTER: &[&[&str]] = &[
    &["as", "a", "kid"], &["as", "a", "child"], &["years", "ago"], &["when", "i", "was"], &["in", "school"],
    &["before"], &["already"],
];

#[rustfmt::skip]
pub(crate) const EN_NEGATION_AFTER: &[&[&str]] = &[
    &["no"], &["nope"], &["nah"], &["not", "for", "me"], &["isnt", "for", "me"], &["is", "not", "for", "me"],
];

#[rustfmt::skip]
pub(crate) const EN_FOCUS_BEFORE: &[&[&str]] = &[
    &["now"], &["instead"], &["but"], &["actually"], &["rather"], &["prefer"], &["really", "want"], &["mostly"],
    &["especially"], &["this", "time"],
];
