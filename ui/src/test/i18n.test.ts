import { messages } from "../lib/i18n";
import { screens } from "../lib/screens";

describe("i18n", () => {
  it("has the same keys in Korean and English, none empty", () => {
    const ko = Object.keys(messages.ko).sort();
    const en = Object.keys(messages.en).sort();
    expect(en).toEqual(ko);
    for (const lang of ["ko", "en"] as const) {
      for (const [key, text] of Object.entries(messages[lang])) {
        expect(text.trim(), `${lang}.${key}`).not.toBe("");
      }
    }
  });

  it("writes the Korean UI in Hangul", () => {
    // Every Korean navigation label except the brand contains Hangul syllables.
    for (const s of screens) {
      expect(messages.ko[s.label]).toMatch(/[\uAC00-\uD7A3]/);
    }
  });
});
