import { parseArgs } from "node:util";
import { z } from "zod";

/** A flag's value as a whole number between `min` and `max`. */
export const whole = (min: number, max: number) => z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().min(min).max(max));

/**
 * A benchmark's `--flag value` options, every flag the schema names, validated by it; a bad or
 * unknown flag prints what is wrong and `usage`, and exits with code 2.
 */
export function readBenchOptions<S extends z.ZodObject>(schema: S, usage: string): z.infer<S> {
  try {
    const flags = Object.keys(schema.shape);
    const { values } = parseArgs({ options: Object.fromEntries(flags.map((flag) => [flag, { type: "string" as const }])), strict: true, allowPositionals: false });
    const parsed = schema.safeParse(values);
    if (parsed.success) return parsed.data;
    console.error(`Invalid options: ${parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join("; ")}\n${usage}`);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
  }
  process.exit(2);
}
