import type { HttpError, TextureUploadResponse } from "@tessera/protocol";

/** Why the relay refused an upload: its code (`unsupported_type`, `too_large`, `rate_limited`, `quota_exceeded`, ...) and what to do. */
export class TextureRefused extends Error {
  override name = "TextureRefused";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Image types the relay takes. */
export const TEXTURE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;

/**
 * Uploads an image as a texture (`POST /api/textures`, the player's token): its content id, the same
 * for the same picture whoever uploads it. Rejects with {@link TextureRefused} when the relay says no.
 */
export async function uploadTexture(httpBase: string, token: string, image: Blob): Promise<TextureUploadResponse> {
  const response = await fetch(new URL("/api/textures", httpBase), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": image.type || "application/octet-stream" },
    body: image,
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Partial<HttpError>;
    throw new TextureRefused(body.error ?? `http_${response.status}`, body.message ?? `the relay answered ${response.status}`);
  }
  return (await response.json()) as TextureUploadResponse;
}
