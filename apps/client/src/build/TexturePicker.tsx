import { useRef, useState } from "react";
import { TEXTURE_TYPES, TextureRefused, type WorldClient } from "@tessera/sdk";
import { LIBRARY, TEXTURE_ID, textureUrl } from "@tessera/textures";
import type { BuildNotice } from "./build-notice.ts";

/** The player's own uploads, newest first, kept in this origin's storage so that they can be used again. */
const UPLOADS_KEY = "tessera.uploads";
const UPLOADS_KEPT = 16;

function readUploads(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(UPLOADS_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string" && TEXTURE_ID.test(id)).slice(0, UPLOADS_KEPT) : [];
  } catch {
    return [];
  }
}

function rememberUpload(id: string): string[] {
  const uploads = [id, ...readUploads().filter((known) => known !== id)].slice(0, UPLOADS_KEPT);
  localStorage.setItem(UPLOADS_KEY, JSON.stringify(uploads));
  return uploads;
}

function Swatch({ id, label, chosen, disabled, onPick }: { id: string; label: string; chosen: boolean; disabled: boolean; onPick: (id: string) => void }) {
  return (
    <button type="button" className={`texture-swatch${chosen ? " chosen" : ""}`} title={label} aria-label={`Texture ${label}`} aria-pressed={chosen} data-testid={`texture-${label.toLowerCase().replaceAll(" ", "-")}`} disabled={disabled} onClick={() => onPick(id)}>
      {id ? <img src={textureUrl(id, 128)} alt="" loading="lazy" draggable={false} /> : <span>None</span>}
    </button>
  );
}

/**
 * Picks a face's texture: none, one of the library's, or an upload (PNG, JPEG or WebP) of the
 * player's own, which the relay checks and stores; a refused upload says why.
 */
export function TexturePicker({ client, value, disabled, notice, onPick }: { client: WorldClient; value: string; disabled: boolean; notice: BuildNotice; onPick: (id: string) => void }) {
  const [uploads, setUploads] = useState(readUploads);
  const [uploading, setUploading] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const upload = async (file: File) => {
    setUploading(true);
    try {
      const { id } = await client.uploadTexture(file);
      setUploads(rememberUpload(id));
      onPick(id);
    } catch (error) {
      notice.show(error instanceof TextureRefused ? `Upload refused: ${error.message}` : `Upload failed: ${(error as Error).message}`);
    } finally {
      setUploading(false);
    }
  };
  return (
    <div className="field texture-picker">
      <span>Texture</span>
      <div className="texture-swatches" role="group" aria-label="Texture">
        <Swatch id="" label="None" chosen={value === ""} disabled={disabled} onPick={onPick} />
        {LIBRARY.map((texture) => (
          <Swatch key={texture.id} id={texture.id} label={texture.label} chosen={value === texture.id} disabled={disabled} onPick={onPick} />
        ))}
        {uploads.map((id, i) => (
          <Swatch key={id} id={id} label={`Upload ${i + 1}`} chosen={value === id} disabled={disabled} onPick={onPick} />
        ))}
      </div>
      <button type="button" className="texture-upload" data-testid="texture-upload" disabled={disabled || uploading} onClick={() => input.current?.click()}>
        {uploading ? "Uploading…" : "Upload image…"}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="texture-file"
        accept={TEXTURE_TYPES.join(",")}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) void upload(file);
        }}
      />
    </div>
  );
}
