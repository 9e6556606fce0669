/**
 * Display names that cannot pass for someone else's. A name shows above an avatar and in chat, so
 * what it looks like is what matters, not which code points it holds: "Аlice" with a Cyrillic А,
 * "Ａｌｉｃｅ" in fullwidth letters, "Alice" with a zero-width joiner in it, or a name of invisible
 * Hangul fillers all look like (or like nothing but) another name. The checks follow UTS #39
 * (Unicode security mechanisms): a "highly restrictive" one-script rule, and the whole-script
 * confusables of the scripts most often used to imitate Latin. Look-alikes within one script (l
 * and I, rn and m) are left to moderation: refusing them would refuse ordinary names.
 *
 * {@link nameProblem} says what is wrong with a name, judging its NFC form, the form to store.
 */

/**
 * Most combining marks on one letter. Real writing stacks up to about three (Hebrew points,
 * Tibetan stacks); UTS #39 flags more than four, the tell of "zalgo" text that spills over
 * neighbouring names.
 */
export const MAX_MARKS_PER_LETTER = 4;

/**
 * Scripts one name may combine beyond a single script (UTS #39 "highly restrictive"): the ones a
 * language writes together, with Latin, which they all use alongside. "Japanese", "Korean" and
 * "Han with Bopomofo" are the augmented script sets of UTS #39, see {@link scriptSet}.
 */
const SCRIPT_COMBINATIONS: readonly (readonly string[])[] = [
  ["Latin", "Japanese"],
  ["Latin", "Korean"],
  ["Latin", "Han with Bopomofo"],
];

/** Pairs `lookalikes[i]` with `latin[i]`, code point by code point. */
function table(lookalikes: string, latin: string): ReadonlyMap<string, string> {
  const from = [...lookalikes];
  const to = [...latin];
  if (from.length !== to.length) throw new Error("look-alike table out of step");
  return new Map(from.map((char, i) => [char, to[i]!]));
}

/**
 * Letters of other scripts that look like Latin ones, with the Latin letter each reads as (from
 * UTS #39 confusables.txt). A name whose letters all come from one of these tables reads as a
 * Latin name: whole-script confusable. Names with even one letter Latin lacks ("Маша", "Сорока",
 * "Αλέξης") do not.
 */
export const LATIN_LOOKALIKES: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  [
    "Cyrillic",
    table(
      "аеорсухіјѕԁԛԝӏһёї" + "АВЕКМНОРСТХУЅІЈԚԜӀҮЁЇ",
      "aeopcyxijsdqwlhëï" + "ABEKMHOPCTXYSIJQWIYËÏ",
    ),
  ],
  ["Greek", table("ονραιυγϳ" + "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧΪΫ", "ovpaiuyj" + "ABEZHIKMNOPTYXÏŸ")],
]);

/**
 * Scripts by their Unicode long names, as `\p{Script=...}` takes them. A letter of a script the
 * JavaScript engine does not know counts as "Unknown"; names the engine does not know are skipped.
 */
const SCRIPT_NAMES = `Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak
  Bengali Beria_Erfe Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian
  Caucasian_Albanian Chakma Cham Cherokee Chorasmian Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic
  Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Garay
  Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Gurung_Khema Han Hangul
  Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inscriptional_Pahlavi
  Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi
  Khitan_Small_Script Khmer Khojki Khudawadi Kirat_Rai Lao Latin Lepcha Limbu Linear_A Linear_B Lisu
  Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin
  Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani
  Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham
  Ol_Chiki Ol_Onal Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian
  Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau
  Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham
  Sidetic SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Sunuwar Syloti_Nagri Syriac
  Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Tai_Yo Takri Tamil Tangsa Tangut Telugu Thaana Thai
  Tibetan Tifinagh Tirhuta Todhri Tolong_Siki Toto Tulu_Tigalari Ugaritic Vai Vithkuqi Wancho
  Warang_Citi Yezidi Yi Zanabazar_Square`;

interface ScriptTest {
  name: string;
  script: RegExp;
  extensions: RegExp;
}

let scriptTests: ScriptTest[] | undefined;

/** The engine's tests for each script, built on first use. */
function scripts(): ScriptTest[] {
  if (scriptTests) return scriptTests;
  scriptTests = [];
  for (const name of SCRIPT_NAMES.split(/\s+/)) {
    try {
      scriptTests.push({ name: name.replaceAll("_", " "), script: new RegExp(`^\\p{Script=${name}}$`, "u"), extensions: new RegExp(`^\\p{Script_Extensions=${name}}$`, "u") });
    } catch {
      // A script newer than this engine's Unicode: none of its letters can be told apart anyway.
    }
  }
  return scriptTests;
}

/** Characters used with every script: Common and Inherited (digits 0-9, space, '.', most combining accents). */
const ANY_SCRIPT = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

/** Script sets of the characters seen lately: finding one tests every script, a tenth of a millisecond. */
const scriptSets = new Map<string, ReadonlySet<string> | undefined>();
/** Characters {@link scriptSets} remembers at most; names use few. */
const SCRIPT_SET_CACHE = 4096;

/**
 * The scripts a character is written in (its Script_Extensions), augmented as UTS #39 does so that
 * Han, kana and Hangul meet in the writing systems that use them together; undefined for a
 * character of any script.
 */
function scriptSet(char: string): ReadonlySet<string> | undefined {
  if (scriptSets.has(char)) return scriptSets.get(char);
  let set: Set<string> | undefined;
  if (!ANY_SCRIPT.test(char)) {
    set = new Set(scripts().filter((test) => test.extensions.test(char)).map((test) => test.name));
    if (set.size === 0) set.add("Unknown");
    if (set.has("Han")) for (const name of ["Han with Bopomofo", "Japanese", "Korean"]) set.add(name);
    if (set.has("Hiragana") || set.has("Katakana")) set.add("Japanese");
    if (set.has("Hangul")) set.add("Korean");
    if (set.has("Bopomofo")) set.add("Han with Bopomofo");
  }
  if (scriptSets.size >= SCRIPT_SET_CACHE) scriptSets.clear();
  scriptSets.set(char, set);
  return set;
}

/** The script a character is first of all (its Script, or its first extension when that is Common or Inherited), to name in a message. */
function mainScript(char: string): string {
  return scripts().find((test) => test.script.test(char))?.name ?? scripts().find((test) => test.extensions.test(char))?.name ?? "Unknown";
}

/** "U+3164". */
function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** "A, B and C". */
function list(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const CONTROL = /^\p{Cc}$/u;
/**
 * Characters that show as nothing: format characters (zero-width joiners, direction marks, soft
 * hyphens), default-ignorables (variation selectors, the combining grapheme joiner) and the Hangul
 * fillers, which are letters that draw nothing (listed as well in case an engine lacks the property).
 */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\u115F\u1160\u3164\uFFA0]$/u;
const WHITE_SPACE = /^\p{White_Space}$/u;
const ALLOWED = /^[\p{L}\p{M}\p{N} ._-]$/u;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * The zero of a decimal digit's set of ten (0 for 7, ٠ for ٧). Unicode encodes every decimal
 * digit in a run of ten from 0 to 9, and runs that touch start ten apart.
 */
function digitZero(char: string): number {
  const code = char.codePointAt(0)!;
  let start = code;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return code - ((code - start) % 10);
}

/**
 * Letters that keyboards type but NFKC splits into two that look the same: the Thai and Lao SARA AM
 * (ำ, ຳ) and the Lao HO NO and HO MO (ໜ, ໝ). Refusing them would refuse everyday Thai and Lao names.
 */
const COMPATIBLE_ENOUGH = new Set(["\u0E33", "\u0EB3", "\u0EDC", "\u0EDD"]);

/** What is wrong with one of the (NFC) characters on its own, or undefined. */
function characterProblem(name: string): string | undefined {
  let previous = "";
  for (const char of name) {
    if (CONTROL.test(char)) return `name holds a control character (${codePoint(char)})`;
    if (INVISIBLE.test(char)) return `name holds an invisible character (${codePoint(char)})`;
    if (WHITE_SPACE.test(char) && char !== " ") return `name holds a space other than an ordinary one (${codePoint(char)}): use ' '`;
    if (char === " " && previous === " ") return "name holds two spaces in a row";
    const plain = char.normalize("NFKC");
    if (plain !== char && !COMPATIBLE_ENOUGH.has(char)) return `name holds a compatibility form "${char}" (${codePoint(char)}) of "${plain}": type "${plain}" itself`;
    if (!ALLOWED.test(char)) return `name may hold only letters, digits, spaces, '.', '_' and '-', not "${char}" (${codePoint(char)})`;
    previous = char;
  }
  return undefined;
}

/**
 * What is wrong with the combining marks, or undefined: each must sit on a letter, at most {@link
 * MAX_MARKS_PER_LETTER} to a letter, none twice in a row. Counted on the NFD form, where "é" is a
 * letter and a mark, so that "é" with another acute is a repeat.
 */
function markProblem(name: string): string | undefined {
  let previous = "";
  let marks = 0;
  for (const char of name.normalize("NFD")) {
    if (MARK.test(char)) {
      if (!LETTER.test(previous) && !MARK.test(previous)) return `name holds a combining mark (${codePoint(char)}) on no letter`;
      if (char === previous) return `name repeats a combining mark (${codePoint(char)}) on one letter`;
      if (++marks > MAX_MARKS_PER_LETTER) return `name stacks more than ${MAX_MARKS_PER_LETTER} combining marks on one letter`;
    } else {
      marks = 0;
    }
    previous = char;
  }
  return undefined;
}

/** Whether characters of these script sets may make one name: all share a script, or they fall within one of {@link SCRIPT_COMBINATIONS}. */
function oneWritingSystem(sets: readonly ReadonlySet<string>[]): boolean {
  const shared = sets.reduce<ReadonlySet<string> | undefined>((common, set) => (common ? new Set([...common].filter((name) => set.has(name))) : new Set(set)), undefined);
  if (!shared || shared.size > 0) return true;
  return SCRIPT_COMBINATIONS.some((allowed) => sets.every((set) => allowed.some((name) => set.has(name))));
}

/**
 * What makes `name` unfit to show as a player's name, as a message for people, or undefined when
 * it is fine. Judges the NFC form of `name` (which the name should be stored as); trimming and
 * length are the caller's to check.
 */
export function nameProblem(input: string): string | undefined {
  const name = input.normalize("NFC");
  // Checking NFKC character by character finds every compatibility form: NFKC composes only what NFC does.
  const problem = characterProblem(name) ?? markProblem(name);
  if (problem) return problem;
  if (!LETTER_OR_DIGIT.test(name)) return "name needs at least one letter or digit";

  const chars = [...name];
  const scripted = chars.map((char) => ({ char, set: scriptSet(char) })).filter((entry): entry is { char: string; set: ReadonlySet<string> } => entry.set !== undefined);
  if (!oneWritingSystem(scripted.map((entry) => entry.set))) {
    const names = [...new Set(scripted.map((entry) => mainScript(entry.char)))];
    return names.length > 1 ? `name mixes scripts (${list(names)}): use one script` : "name mixes scripts: use one script";
  }

  const zeros = new Map<number, string>();
  for (const char of chars) if (DECIMAL_DIGIT.test(char) && !zeros.has(digitZero(char))) zeros.set(digitZero(char), char);
  if (zeros.size > 1) return `name mixes digits of different kinds (${list([...zeros.values()].map((digit) => `"${digit}"`))}): use one kind`;

  const letters = chars.filter((char) => LETTER.test(char));
  for (const [script, lookalikes] of LATIN_LOOKALIKES) {
    if (!scripted.every((entry) => entry.set.has(script))) continue;
    if (letters.length === 0 || !letters.every((char) => lookalikes.has(char))) continue;
    const reading = chars.map((char) => lookalikes.get(char) ?? char).join("").normalize("NFC");
    return `name looks like a Latin name written in ${script} letters: it reads as "${reading}"; write a Latin name in Latin letters`;
  }
  return undefined;
}
