/** A texture tier the page asks for: fetched and decoded here, off the main thread. */
export interface TierRequest {
  key: number;
  url: string;
}

/** A tier decoded, with its mipmap chain (level 0 the tier itself, each next half as wide, down to 1 px). */
export type TierReply = { key: number; levels: ImageBitmap[]; bytes: number } | { key: number; error: string };

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
      const levels = [await createImageBitmap(blob, { imageOrientation: "flipY", premultiplyAlpha: "none", colorSpaceConversion: "none" })];
      // The mipmaps too, here: the page then copies a layer's levels rather than rebuilding a whole array's.
      for (let size = levels[0]!.width >> 1; size >= 1; size >>= 1) {
        levels.push(await createImageBitmap(levels.at(-1)!, { resizeWidth: size, resizeHeight: size, resizeQuality: "medium", premultiplyAlpha: "none", colorSpaceConversion: "none" }));
      }
      scope.postMessage({ key, levels, bytes: blob.size }, levels);
    } catch (error) {
      scope.postMessage({ key, error: (error as Error).message });
    }
  })();
};
