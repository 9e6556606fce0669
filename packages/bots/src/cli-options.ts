import { parseArgs } from "node:util";
import { z } from "zod";
import type { Rect } from "@tessera/protocol";
import { lagOptionsSchema, type LagOptions } from "@tessera/sdk";

/** Most bots one process runs. */
export const MAX_BOTS = 2000;

export const USAGE =
  "usage: npm run bots -- --count N --duration S [--endpoint http://localhost:2567] [--lag MS --jitter MS --loss 0-0.9] " +
  "[--no-predict] [--ramp BOTS_PER_S] [--seed N] [--area minX,minZ,maxX,maxZ] [--out bench/results/bots.json]";

/** What `npm run bots` was asked to do. */
export interface BotsCliOptions {
  count: number;
  /** Seconds measured after every bot is in. */
  durationS: number;
  endpoint: string;
  lag: LagOptions;
  predict: boolean;
  /** Connections started per second. */
  ramp: number;
  seed: number;
  area?: Rect;
  out: string;
}

/** A bad command line; the message names the flag. */
export class UsageError extends Error {
  override name = "UsageError";
}

const FLAGS = {
  count: { type: "string" },
  duration: { type: "string" },
  endpoint: { type: "string" },
  lag: { type: "string" },
  jitter: { type: "string" },
  loss: { type: "string" },
  "no-predict": { type: "boolean" },
  ramp: { type: "string" },
  seed: { type: "string" },
  area: { type: "string" },
  out: { type: "string" },
} as const;

const whole = (min: number, max: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().min(min).max(max));
const seconds = z.string().regex(/^\d+(\.\d+)?$/, "must be a number of seconds").transform(Number).pipe(z.number().positive().max(86_400));
const area = z
  .string()
  .regex(/^(-?\d+(\.\d+)?,){3}-?\d+(\.\d+)?$/, 'must look like "minX,minZ,maxX,maxZ" (world metres)')
  .transform((value): Rect => {
    const [minX, minZ, maxX, maxZ] = value.split(",").map(Number) as [number, number, number, number];
    return { minX, minZ, maxX, maxZ };
  })
  .refine((rect) => rect.minX < rect.maxX && rect.minZ < rect.maxZ, "min must be less than max on both axes");

/** Every flag, as parseArgs gives them (strings), to options. */
const cliSchema = z
  .object({
    count: whole(1, MAX_BOTS).default(10),
    duration: seconds.default(30),
    endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://localhost:2567" }).default("http://localhost:2567"),
    lag: lagOptionsSchema,
    "no-predict": z.boolean().default(false),
    ramp: whole(1, 1000).default(20),
    seed: whole(0, 0xffff_ffff).default(1),
    area: area.optional(),
    out: z.string().min(1).default("bench/results/bots.json"),
  })
  .transform(
    (flags): BotsCliOptions => ({
      count: flags.count,
      durationS: flags.duration,
      endpoint: flags.endpoint,
      lag: flags.lag,
      predict: !flags["no-predict"],
      ramp: flags.ramp,
      seed: flags.seed,
      ...(flags.area ? { area: flags.area } : {}),
      out: flags.out,
    }),
  );

/** Reads `npm run bots` flags; throws {@link UsageError} naming every bad one. */
export function readBotsOptions(argv: readonly string[]): BotsCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { lag, jitter, loss, ...rest } = values;
  const parsed = cliSchema.safeParse({ ...rest, lag: { lag, jitter, loss } });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${String(issue.path.at(-1) ?? "?")}: ${issue.message}`);
    throw new UsageError(`Invalid bots options: ${problems.join("; ")}\n${USAGE}`);
  }
  return parsed.data;
}
