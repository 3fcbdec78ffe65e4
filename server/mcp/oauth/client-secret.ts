/** An admin's pre-registered client secret is sealed bound to its catalogue entry. */
export const clientSecretContext = (serverId: string) => `mcp-oauth-client-secret:${serverId}`;
