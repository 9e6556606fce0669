import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface CuttableLink {
  /** Base URL that reaches the relay through this link. */
  url: string;
  /** Destroys every connection open now, as a network outage would; new ones still go through. */
  cut(): void;
  /** Cuts every connection and refuses new ones until {@link restore}, as a relay that is away would. */
  drop(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP relay in front of `targetPort`, for tests that need the network to fail for real. */
export async function cuttableLink(targetPort: number): Promise<CuttableLink> {
  const open = new Set<Socket>();
  let down = false;
  const server = createServer((inbound) => {
    if (down) {
      inbound.resetAndDestroy();
      return;
    }
    const outbound = connect(targetPort, "127.0.0.1");
    for (const socket of [inbound, outbound]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const cut = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    url: `http://localhost:${port}`,
    cut,
    drop() {
      down = true;
      cut();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
