/**
 * A small picture of an image still only in the browser, as a data: URL: the page's Content
 * Security Policy lets images come from the server or data: URLs (not blob: ones), and a thumbnail
 * a few kilobytes big is all a chip shows. Undefined when the browser cannot decode the file.
 */
const EDGE = 96;

export async function imageThumbnail(file: Blob): Promise<string | undefined> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL('image/png');
  } catch {
    return undefined;
  }
}
