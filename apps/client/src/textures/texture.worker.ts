/** A texture tier the page asks for: fetched and decoded here, off the main thread. */
export interface TierRequest {
  key: number;
  url: string;
}

export type TierReply = { key: number; image: ImageBitmap; bytes: number } | { key: number; error: string };

/** The worker's global scope (the DOM typings describe a window, not a worker). */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<TierRequest>) => void;
  postMessage(message: TierReply, transfer?: Transferable[]): void;
};

scope.onmessage = (event) => {
  const { key, url } = event.data;
  void (async () => {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      const blob = await response.blob();
      // Image rows bottom-up, as UVs have them; ImageBitmaps ignore WebGL's UNPACK_FLIP_Y.
      const image = await createImageBitmap(blob, { imageOrientation: "flipY", premultiplyAlpha: "none", colorSpaceConversion: "none" });
      scope.postMessage({ key, image, bytes: blob.size }, [image]);
    } catch (error) {
      scope.postMessage({ key, error: (error as Error).message });
    }
  })();
};
