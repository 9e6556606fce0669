/**
 * Colyseus's Room reads the global `WebSocket.OPEN` on reconnection, which Node 20 lacks (Node 22
 * has it). Installing `ws` as the global keeps reconnection working on Node 20.
 */
export async function installWebSocketGlobal(): Promise<void> {
  globalThis.WebSocket ??= (await import("ws")).WebSocket as unknown as typeof globalThis.WebSocket;
}
