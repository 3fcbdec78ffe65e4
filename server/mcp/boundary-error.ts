/**
 * A catalogue entry reaches past what the operator allows (MCP_STDIO_COMMANDS, MCP_SECRET_ENV,
 * MCP_BLOCK_PRIVATE_ADDRESSES). The message names the setting and suits anyone who meets the
 * refusal; `advice` is for admins only (what the setting does allow), since it names programs and
 * variables a chat user has no business knowing. `field` is the entry's field at fault.
 */
export class BoundaryError extends Error {
  override name = 'BoundaryError';

  constructor(
    readonly field: string,
    message: string,
    readonly advice?: string,
  ) {
    super(message);
  }

  /** The refusal as the admin API words it: `field: message; advice`. */
  forAdmins(): string {
    return `${this.field}: ${this.message}${this.advice ? `; ${this.advice}` : ''}`;
  }
}
