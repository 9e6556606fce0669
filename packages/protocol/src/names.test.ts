import { describe, expect, it } from "vitest";
import { sessionRequestSchema } from "./http.ts";
import { guestNameSchema, joinOptionsSchema } from "./messages.ts";
import { LATIN_LOOKALIKES, MAX_MARKS_PER_LETTER, nameProblem } from "./names.ts";

/** The messages a name is refused with; empty when it is accepted. */
function refusals(name: string): string[] {
  const parsed = guestNameSchema.safeParse(name);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

describe("guest names that cannot impersonate", () => {
  it.each([
    "Alice",
    "Ada Lovelace",
    "Zoë",
    "José",
    "Łukasz",
    "Ærøskøbing",
    "Dvořák_2.0",
    "x-y.z_1",
    "42",
    "Маша",
    "Сорока",
    "Ольга",
    "Оксана",
    "Αλέξης",
    "Άννα",
    "山田",
    "さくら",
    "山田さくら",
    "カタカナー",
    "東京",
    "김민준",
    "韓國김",
    "ㄅㄆㄇ中文",
    "محمد",
    "محمد٣",
    "שָׁלוֹם",
    "अनिल",
    "श्री",
    "தமிழ்",
    "น้ำ",
    "อำไพ",
    "ໝາ",
    "Nguyễn",
    "Ken山田",
    "Ивана 2",
  ])("accepts %j", (name) => {
    expect(refusals(name)).toEqual([]);
    expect(guestNameSchema.parse(name)).toBe(name);
  });

  it("returns the trimmed NFC form of the name", () => {
    expect(guestNameSchema.parse("  Zoe\u0308 ")).toBe("Zoë");
    expect(guestNameSchema.parse("Jose\u0301")).toBe("José");
    expect(guestNameSchema.parse("\u1100\u1161")).toBe("가"); // conjoining jamo compose
    // Trimming takes any Unicode space at the ends, the byte-order mark too.
    expect(guestNameSchema.parse("\u3000\uFEFFAda\u00A0")).toBe("Ada");
  });

  it.each<[string, string, RegExp]>([
    ["a Cyrillic А in a Latin name", "\u0410lice", /^name mixes scripts \(Cyrillic and Latin\): use one script$/],
    ["a Cyrillic е in a Latin name", "Alic\u0435", /^name mixes scripts \(Latin and Cyrillic\): use one script$/],
    ["a Greek ο in a Latin name", "B\u03BFb", /^name mixes scripts \(Latin and Greek\)/],
    ["three scripts", "A\u0431\u03B2", /^name mixes scripts \(Latin, Cyrillic and Greek\)/],
    ["Cyrillic and Greek", "\u0431\u03B2", /^name mixes scripts \(Cyrillic and Greek\)/],
    ["Latin and Arabic", "Ali\u0639", /^name mixes scripts \(Latin and Arabic\)/],
    ["Hangul and kana", "\uAE40\u3055", /^name mixes scripts \(Hangul and Hiragana\)/],
    ["Cyrillic and Han", "\u0431\u5C71", /^name mixes scripts \(Cyrillic and Han\)/],
    ["an Arabic-Indic digit in a Latin name", "Alice\u0663", /^name mixes scripts \(Latin and Arabic\)/],
    ["a Devanagari vowel sign on a Latin letter", "a\u093F", /^name mixes scripts \(Latin and Devanagari\)/],
    ["a Latin name in Cyrillic look-alikes", "\u0430\u04CF\u0456\u0441\u0435", /^name looks like a Latin name written in Cyrillic letters: it reads as "alice"; write a Latin name in Latin letters$/],
    ["an all-Cyrillic 'Alice'", "\u0410\u04CF\u0456\u0441\u0435", /Latin name written in Cyrillic letters: it reads as "Alice"/],
    ["Cyrillic capitals reading as Latin", "\u0421\u041E\u0420\u041E\u041A\u0410", /Latin name written in Cyrillic letters: it reads as "COPOKA"/],
    ["Cyrillic look-alikes with digits", "\u0440\u0430\u0443\u0440\u0430\u0441_7", /Cyrillic letters: it reads as "paypac_7"/],
    ["Cyrillic look-alikes with an accent", "\u0441\u0430\u0301f\u0435".replace("f", "\u0455"), /Cyrillic letters: it reads as "cáse"/],
    ["Greek capitals reading as Latin", "\u039A\u0391\u03A4\u0395", /^name looks like a Latin name written in Greek letters: it reads as "KATE"/],
    ["Greek small letters reading as Latin", "\u03BD\u03B9\u03BF", /Greek letters: it reads as "vio"/],
    ["a Hangul filler alone", "\u3164", /^name holds an invisible character \(U\+3164\)$/],
    ["Hangul fillers", "\u3164\u3164\u3164", /invisible character \(U\+3164\)/],
    ["a Hangul choseong filler", "a\u115F", /invisible character \(U\+115F\)/],
    ["a Hangul jungseong filler", "\u1160b", /invisible character \(U\+1160\)/],
    ["a halfwidth Hangul filler", "\uFFA0", /invisible character \(U\+FFA0\)/],
    ["a zero-width joiner", "Al\u200Dice", /^name holds an invisible character \(U\+200D\)$/],
    ["a zero-width space", "Al\u200Bice", /invisible character \(U\+200B\)/],
    ["a zero-width non-joiner", "Al\u200Cice", /invisible character \(U\+200C\)/],
    ["a right-to-left override", "Al\u202Eice", /invisible character \(U\+202E\)/],
    ["a soft hyphen", "Al\u00ADice", /invisible character \(U\+00AD\)/],
    ["a word joiner", "Al\u2060ice", /invisible character \(U\+2060\)/],
    ["a byte-order mark inside", "Al\uFEFFice", /invisible character \(U\+FEFF\)/],
    ["a variation selector", "Alice\uFE0F", /invisible character \(U\+FE0F\)/],
    ["an ideographic variation selector", "\u5C71\u{E0100}", /invisible character \(U\+E0100\)/],
    ["a combining grapheme joiner", "Al\u034Fice", /invisible character \(U\+034F\)/],
    ["a Mongolian vowel separator", "Al\u180Eice", /invisible character \(U\+180E\)/],
    ["a Khmer inherent vowel", "\u1780\u17B4", /invisible character \(U\+17B4\)/],
    ["a tag character", "Alice\u{E0041}", /invisible character \(U\+E0041\)/],
    ["a newline", "a\nb", /^name holds a control character \(U\+000A\)$/],
    ["a tab", "a\tb", /control character \(U\+0009\)/],
    ["a NUL", "a\u0000b", /control character \(U\+0000\)/],
    ["a DEL", "a\u007Fb", /control character \(U\+007F\)/],
    ["a no-break space inside", "Ada\u00A0Lovelace", /^name holds a space other than an ordinary one \(U\+00A0\): use ' '$/],
    ["an ideographic space inside", "\u5C71\u3000\u7530", /space other than an ordinary one \(U\+3000\)/],
    ["an en space inside", "a\u2002b", /space other than an ordinary one \(U\+2002\)/],
    ["a line separator inside", "a\u2028b", /space other than an ordinary one \(U\+2028\)/],
    ["two spaces in a row", "Ada  Lovelace", /^name holds two spaces in a row$/],
    ["fullwidth letters", "\uFF21\uFF4C\uFF49\uFF43\uFF45", /^name holds a compatibility form "Ａ" \(U\+FF21\) of "A": type "A" itself$/],
    ["a ligature", "\uFB01sh", /compatibility form "ﬁ" \(U\+FB01\) of "fi"/],
    ["a superscript digit", "Ada\u00B2", /compatibility form "²" \(U\+00B2\) of "2"/],
    ["a circled digit", "Ada\u2460", /compatibility form "①" \(U\+2460\) of "1"/],
    ["a Roman numeral", "Henry\u2167", /compatibility form "Ⅷ" \(U\+2167\) of "VIII"/],
    ["a mathematical bold letter", "\u{1D400}da", /compatibility form "𝐀" \(U\+1D400\) of "A"/],
    ["a long s", "Ma\u017Fs", /compatibility form "ſ" \(U\+017F\) of "s"/],
    ["a halfwidth katakana", "\uFF76\uFF80", /compatibility form "ｶ" \(U\+FF76\) of "カ"/],
    ["a Greek lunate sigma", "\u03F2", /compatibility form/],
    ["a combining mark on nothing", "\u0301Alice", /^name holds a combining mark \(U\+0301\) on no letter$/],
    ["a combining mark on a space", "Ada \u0301Lovelace", /combining mark \(U\+0301\) on no letter/],
    ["a combining mark on a digit", "Ada1\u0301", /combining mark \(U\+0301\) on no letter/],
    ["a keycap", "1\u20E3", /combining mark \(U\+20E3\) on no letter/],
    ["a combining mark on punctuation", "a.\u0308", /combining mark \(U\+0308\) on no letter/],
    ["a mark repeated", "e\u0301\u0301", /^name repeats a combining mark \(U\+0301\) on one letter$/],
    ["zalgo", "a\u0300\u0301\u0302\u0303\u0304", new RegExp(`^name stacks more than ${MAX_MARKS_PER_LETTER} combining marks on one letter$`)],
    ["an emoji", "\u{1F47E}", /^name may hold only letters, digits, spaces, '\.', '_' and '-', not "👾" \(U\+1F47E\)$/],
    ["markup", "<script>", /not "<" \(U\+003C\)/],
    ["an apostrophe", "O'Brien", /not "'" \(U\+0027\)/],
    ["a private-use character", "a\uE000", /not "\uE000" \(U\+E000\)/],
    ["a lone surrogate", "a\uD800", /\(U\+D800\)/],
    ["punctuation only", "._-", /^name needs at least one letter or digit$/],
    ["mixed kinds of digits", "\u0645\u0663" + "3", /^name mixes digits of different kinds \("٣" and "3"\): use one kind$/],
    ["Arabic-Indic and Persian digits", "\u0645\u0663\u06F4", /mixes digits of different kinds \("٣" and "۴"\)/],
    ["empty", "", /^name must not be empty$/],
    ["blank", " \u3000 ", /^name must not be empty$/],
    ["too long", "x".repeat(25), /^name must be at most 24 characters$/],
  ])("refuses %s, saying so", (_, name, message) => {
    const messages = refusals(name);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it("counts length after normalising", () => {
    // 24 letters, each typed as a base letter and a combining accent (48 code units) that compose.
    expect(guestNameSchema.parse("e\u0301".repeat(24))).toBe("é".repeat(24));
    expect(refusals("é".repeat(25))).toEqual(["name must be at most 24 characters"]);
  });

  it("allows up to the mark limit, not beyond", () => {
    const marks = "\u0300\u0301\u0302\u0303\u0304\u0305";
    expect(nameProblem(`a${marks.slice(0, MAX_MARKS_PER_LETTER)}`)).toBeUndefined();
    expect(nameProblem(`a${marks.slice(0, MAX_MARKS_PER_LETTER + 1)}`)).toMatch(/stacks more than/);
    // The count starts over on each letter.
    expect(nameProblem(`a${marks.slice(0, MAX_MARKS_PER_LETTER)}b${marks.slice(0, MAX_MARKS_PER_LETTER)}`)).toBeUndefined();
  });

  it("lets Japanese, Korean and Chinese mix their own scripts and Latin, and nothing else", () => {
    for (const name of ["漢字かなカナ", "한글漢字", "注音ㄅㄆ", "Tokyo東京", "Seoul서울", "さくらSakura"]) expect(nameProblem(name)).toBeUndefined();
    expect(nameProblem("かな한글")).toMatch(/mixes scripts \(Hiragana and Hangul\)/);
    expect(nameProblem("ㄅㄆかな")).toMatch(/mixes scripts \(Bopomofo and Hiragana\)/);
    expect(nameProblem("東京Москва")).toMatch(/mixes scripts \(Han and Cyrillic\)/);
  });

  it("treats digits, space, '.', '_' and '-' as belonging to every script", () => {
    for (const name of ["Маша 2000", "Αλέξης_1", "山田.42", "محمد-7", "a.b_c-d 9"]) expect(nameProblem(name)).toBeUndefined();
  });

  it("keeps real Cyrillic and Greek names, which hold letters Latin lacks", () => {
    for (const name of ["Маша", "Сорока", "Ольга", "Иван", "Пётр", "Дмитрий", "Αλέξης", "Ζωή", "Νίκος", "Ελένη"]) expect(nameProblem(name)).toBeUndefined();
  });

  it("keeps look-alike tables honest: each letter of its script, each reading Latin", () => {
    for (const [script, lookalikes] of LATIN_LOOKALIKES) {
      for (const [char, latin] of lookalikes) {
        expect(char, codePointOf(char)).toMatch(new RegExp(`^\\p{Script=${script}}$`, "u"));
        expect(latin, codePointOf(char)).toMatch(/^\p{Script=Latin}$/u);
        // A look-alike alone reads as a Latin letter, and is refused as such.
        expect(nameProblem(char), codePointOf(char)).toMatch(`written in ${script} letters`);
      }
    }
  });

  it("guards the join option and the session request alike", () => {
    expect(joinOptionsSchema.parse({ name: " Zoe\u0308 " })).toEqual({ name: "Zoë" });
    expect(joinOptionsSchema.safeParse({ name: "\u3164" }).error?.issues[0]?.message).toBe("name holds an invisible character (U+3164)");
    expect(sessionRequestSchema.parse({ name: "Маша" })).toEqual({ name: "Маша" });
    expect(sessionRequestSchema.safeParse({ name: "\u0410lice" }).error?.issues[0]?.message).toMatch(/mixes scripts/);
  });
});

const codePointOf = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase()}`;

