/**
 * A Content-Disposition header naming a file safely (RFC 6266): `filename` in plain ASCII for old
 * clients, and the real name as `filename*` in UTF-8 percent-encoding (RFC 5987), so no name can
 * break out of the header or its quotes. A name is made well-formed first: a lone surrogate has no
 * UTF-8 and would make the encoding throw.
 */
export function fileDisposition(type: 'inline' | 'attachment', name: string): string {
  const wellFormed = name.toWellFormed();
  const ascii = wellFormed.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(wellFormed).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
