import { describe, expect, it } from "vitest";
import { UsageError, readBotsOptions } from "./cli-options.ts";

describe("readBotsOptions", () => {
  it("has defaults for everything", () => {
    expect(readBotsOptions([])).toEqual({
      count: 10,
      durationS: 30,
      endpoint: "http://localhost:2567",
      lag: { lagMs: 0, jitterMs: 0, loss: 0 },
      predict: true,
      ramp: 20,
      seed: 1,
      out: "bench/results/bots.json",
    });
  });

  it("reads every flag", () => {
    const options = readBotsOptions(["--count", "50", "--duration=12.5", "--endpoint", "http://relay:3000", "--lag", "150", "--jitter", "30", "--loss", "0.05", "--no-predict", "--area", "130,130,190,170", "--out", "x.json"]);
    expect(options).toMatchObject({ count: 50, durationS: 12.5, endpoint: "http://relay:3000", predict: false, out: "x.json" });
    expect(options.lag).toEqual({ lagMs: 150, jitterMs: 30, loss: 0.05 });
    expect(options.area).toEqual({ minX: 130, minZ: 130, maxX: 190, maxZ: 170 });
  });

  it.each([
    [["--count", "0"], "--count"],
    [["--count", "ten"], "--count"],
    [["--duration", "-3"], "--duration"],
    [["--loss", "2"], "--loss"],
    [["--jitter", "soon"], "--jitter"],
    [["--endpoint", "localhost:2567"], "--endpoint"],
    [["--area", "190,130,130,170"], "--area"],
    [["--bogus", "1"], "bogus"],
  ])("refuses %j, naming %s", (argv, flag) => {
    expect(() => readBotsOptions(argv)).toThrow(UsageError);
    expect(() => readBotsOptions(argv)).toThrow(flag);
  });
});
