/**
 * What the agent reads of the files people attach (server/files implements it): a message keeps
 * only their references, and each request to the model reads their text, and images' bytes, anew.
 */
import type { FileKind } from '../../shared/files.ts';

export interface ModelFile {
  id: string;
  name: string;
  mediaType: string;
  kind: FileKind;
  /** What the model is given of a text file or a PDF; null for an image. */
  text: string | null;
  /** An image's bytes, when they were asked for. */
  data?: Buffer;
}

export interface FileReader {
  /** The files among `ids` that still exist; images with their bytes when `images`. */
  forModel(ids: readonly string[], images: boolean): Promise<ModelFile[]>;
}
