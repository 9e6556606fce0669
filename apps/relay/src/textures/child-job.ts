import { fork, type Serializable } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WorkSlots } from "./work-slots.ts";

const require = createRequire(import.meta.url);
/** The relay's source is TypeScript run through tsx: its children load the same way. */
const TSX = ["--require", require.resolve("tsx/preflight"), "--import", pathToFileURL(require.resolve("tsx")).href];
/**
 * One child at a time, painting library textures and compressing tiers alike: the other core is the
 * relay's, whose tile rooms tick on its one thread.
 */
const children = new WorkSlots(1);

export interface ChildJob {
  /** The module the child runs. */
  script: URL;
  /** Its `process.argv` from index 2. */
  args?: readonly string[];
  /** One message sent to it once it starts, if any. */
  input?: Serializable;
  /** Kills the child (or keeps it from starting): the job then rejects. */
  signal?: AbortSignal;
  /** Who the child is, for errors. */
  what: string;
}

/**
 * What a job's child process answers: the one message it sends before it exits. A process per job
 * (each takes 50 ms to several seconds of CPU) keeps that CPU off the relay's thread and frees every
 * byte the job used when it ends. Messages are structured clones (typed arrays stay typed arrays).
 * The child's stdout is dropped (the KTX2 encoder prints debug text there); its stderr is the relay's.
 */
export function runInChild<T>(job: ChildJob): Promise<T> {
  return children.run(
    () =>
      new Promise<T>((resolve, reject) => {
        if (job.signal?.aborted) return reject(new Error(`${job.what}: not started, the relay is stopping`));
        const child = fork(fileURLToPath(job.script), job.args ?? [], {
          execArgv: TSX,
          serialization: "advanced",
          stdio: ["ignore", "ignore", "inherit", "ipc"],
          ...(job.signal ? { signal: job.signal } : {}),
        });
        let answer: { message: T } | undefined;
        child.once("message", (message) => (answer = { message: message as T }));
        // Every error, not the first only: an abort and a failed send may both come.
        child.on("error", reject);
        child.once("exit", (code, signal) => {
          if (answer) resolve(answer.message);
          else reject(new Error(`${job.what} stopped (${signal ?? `code ${code}`}) with no answer`));
        });
        // A child that cannot be sent its input is of no use: it is stopped (and the job rejects as it exits).
        if (job.input !== undefined) child.send(job.input, (error) => error && child.kill());
      }),
  );
}
