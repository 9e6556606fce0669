import { attachScreenshot, expect, idOf, test } from "./players.ts";

test("two players chat: a line said in the panel shows, as text, in the other's panel and over the speaker; too many lines at once are refused with why", async ({ players }, testInfo) => {
  test.setTimeout(180_000);
  const ada = await players.join("Ada");
  const bea = await players.join("Bea");
  const adaId = await idOf(ada);

  // Enter goes to the chat field; Enter says.
  await ada.keyboard.press("Enter");
  await expect(ada.getByTestId("chat-input")).toBeFocused();
  await ada.keyboard.type("Hello Bea <b>friend</b>");
  await ada.keyboard.press("Enter");
  const line = bea.getByTestId("chat-line").filter({ hasText: "Hello Bea" });
  await expect(line).toHaveText(/Ada: Hello Bea <b>friend<\/b>$/);
  await expect(bea.locator(".chat-history b", { hasText: "friend" })).toHaveCount(0);
  const heard = (await bea.evaluate(() => window.__world.chat())).find((entry) => entry.text === "Hello Bea <b>friend</b>")!;
  expect(heard).toMatchObject({ channel: "say", speakerId: adaId, speaker: "Ada" });
  expect(heard.distance).toBeLessThan(20);
  // The speaker's own line, too; while typing, W typed no walk.
  await expect(ada.getByTestId("chat-line").filter({ hasText: "Hello Bea" })).toHaveCount(1);

  // Shift+Enter whispers.
  await ada.keyboard.type("psst");
  await ada.keyboard.press("Shift+Enter");
  await expect(bea.getByTestId("chat-line").filter({ hasText: "whispers: psst" })).toHaveCount(1);
  await attachScreenshot(bea, testInfo, "1-listener");

  // Eight at once: what is left of the allowance of five goes, the rest is refused, and so is a line
  // from the panel right after, saying why.
  await ada.keyboard.type("one too many");
  const burst = Array.from({ length: 8 }, (_, i) => `burst ${i + 1}`);
  const sent = await ada.evaluate((lines) => lines.map((said) => window.__world.say("say", said)), burst);
  expect(sent[0]).toEqual({ ok: true });
  expect(sent.at(-1)).toEqual({ ok: false, message: "at most 5 lines at once, then one every 2 s: this line was not sent" });
  await ada.keyboard.press("Enter");
  const burstHeard = () => bea.evaluate((lines) => window.__world.chat().filter((entry) => lines.includes(entry.text)).length, burst);
  await expect.poll(burstHeard).toBe(sent.filter((answer) => answer.ok).length);
  await expect(ada.getByTestId("chat-problem")).toContainText("at most 5 lines at once");
  await attachScreenshot(ada, testInfo, "2-refused");
  expect(await burstHeard()).toBeLessThanOrEqual(5);
  expect((await bea.evaluate(() => window.__world.chat())).some((entry) => entry.text === "one too many" || entry.text === "burst 8")).toBe(false);
  expect(await ada.evaluate(() => window.__world.say("say", "  "))).toEqual({ ok: false, message: "text: a chat line must not be empty" });
});
