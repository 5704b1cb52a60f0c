// The hobby taxonomy ids (tutti-mentor's data/taxonomy.json) a survey may
// name, with their names in both languages.
import type { Language } from "./bindings/Language";

export const hobbies = [
  { id: "guitar", ko: "기타", en: "Guitar" },
  { id: "piano", ko: "피아노", en: "Piano" },
  { id: "singing", ko: "노래", en: "Singing" },
  { id: "drums", ko: "드럼", en: "Drums" },
  { id: "violin", ko: "바이올린", en: "Violin" },
  { id: "ukulele", ko: "우쿨렐레", en: "Ukulele" },
  { id: "flute", ko: "플루트", en: "Flute" },
  { id: "korean_cooking", ko: "한식 요리", en: "Korean cooking" },
  { id: "western_cooking", ko: "양식 요리", en: "Western cooking" },
  { id: "cooking", ko: "요리", en: "Cooking" },
  { id: "baking", ko: "베이킹", en: "Baking" },
  { id: "drawing", ko: "그림", en: "Drawing" },
  { id: "watercolor", ko: "수채화", en: "Watercolor" },
  { id: "photography", ko: "사진", en: "Photography" },
  { id: "calligraphy", ko: "캘리그라피", en: "Calligraphy" },
  { id: "knitting", ko: "뜨개질", en: "Knitting" },
  { id: "pottery", ko: "도예", en: "Pottery" },
  { id: "yoga", ko: "요가", en: "Yoga" },
  { id: "running", ko: "러닝", en: "Running" },
  { id: "swimming", ko: "수영", en: "Swimming" },
  { id: "dance", ko: "댄스", en: "Dance" },
  { id: "chess", ko: "체스", en: "Chess" },
  { id: "gardening", ko: "원예", en: "Gardening" },
  { id: "coding", ko: "코딩", en: "Coding" },
] as const;

/** The hobby's name in `lang`, or the id itself for one outside the list. */
export function hobbyName(id: string, lang: Language): string {
  const h = hobbies.find((x) => x.id === id);
  return h ? h[lang] : id;
}
